"""deploy/docker/up and down: what they ask Docker to do, in which order, and that a second run
is harmless. No engine runs here: a stand-in `docker` on PATH records each call and answers
as an engine would, and the scripts run from a copy of deploy/docker in a scratch tree."""
import re
import shutil
import subprocess
import textwrap

import pytest

from sis_ops.stack import REPO, load_services

from docker_support import projects

UP = REPO / "deploy" / "docker" / "up"
DOWN = REPO / "deploy" / "docker" / "down"

FAKE_DOCKER = textwrap.dedent('''\
    #!/usr/bin/env bash
    # Stand-in docker client: records its arguments, keeps the network's and volume's existence in files.
    state="$FAKE_DOCKER_STATE"
    line="$(printf '"%s", ' "$@")"
    line="${line//$'\\n'/\\\\n}"  # one call, one line
    printf '[%s]%s%s\\n' "${line%, }" "${EWTTO_ADMIN_PASSWORD:+ EWTTO_ADMIN_PASSWORD=set}" "${FAKE_VIA:+ via=$FAKE_VIA}" >> "$state/calls"
    case "$1 $2" in
      "network inspect") [ -e "$state/network" ]; exit ;;
      "network create") touch "$state/network" ;;
      "volume inspect") [ -e "$state/volume" ]; exit ;;
      "volume create") touch "$state/volume" ;;
    esac
    args=" $* "
    if [ "$1 $2" = "compose version" ]; then
      [ -n "${FAKE_NO_COMPOSE_PLUGIN:-}" ] && exit 1
      echo "Docker Compose version v2.30.1"
    fi
    [ "$1" = inspect ] && [[ $args == *".State.Health"* ]] && echo healthy
    if [ "$1" = run ] && [[ $args == *" docker-config "* ]]; then
      # what sis_ops docker-config leaves behind, as far as up reads it
      mkdir -p "$state/root/deploy/docker/secrets"
      echo generated-password > "$state/root/deploy/docker/secrets/admin-password"
      mkdir -p "$state/root/deploy/docker/env"
      for slug in auth sucursales inventario ventas compras clientes; do
        echo "SET SESSION sql_log_bin = 0;" > "$state/root/deploy/docker/env/$slug-db-accounts.sql"
      done
    fi
    if [[ $args == *" exec "* && $args == *" gateway-app "* && $args == *"/health"* ]]; then
      printf '{\\n "status": "ok",\\n "services": {}\\n}\\n'
    fi
    if [[ $args == *" exec "* && $args == *" help ewtto_bootstrap "* ]]; then
      [[ $args == *" auth-app "* ]]  # only auth has the command in this run
      exit
    fi
    exit 0
''')


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A scratch copy of the repository's scripts, with the fake docker first on PATH."""
    root = tmp_path / "root"
    (root / "deploy" / "docker").mkdir(parents=True)
    shutil.copy(UP, root / "deploy" / "docker" / "up")
    shutil.copy(DOWN, root / "deploy" / "docker" / "down")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(FAKE_DOCKER)
    (bin_dir / "docker").chmod(0o755)
    # Compose v1 is the same client under another name
    (bin_dir / "docker-compose").write_text('#!/usr/bin/env bash\nFAKE_VIA=v1 exec docker compose "$@"\n')
    (bin_dir / "docker-compose").chmod(0o755)
    # the base image and the wheelhouse are their own steps: here they only say they ran
    for step in ("base-image", "wheelhouse"):
        (root / "deploy" / "docker" / step).write_text(f'#!/usr/bin/env bash\necho \'["{step}"]\' >> "$FAKE_DOCKER_STATE/calls"\n')
        (root / "deploy" / "docker" / step).chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("FAKE_DOCKER_STATE", str(tmp_path))
    monkeypatch.setenv("EWTTO_HEALTH_TIMEOUT", "5")
    monkeypatch.delenv("EWTTO_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("EWTTO_PUBLIC_HOSTS", raising=False)
    return tmp_path


def run(tree, script: str) -> list[str]:
    calls = tree / "calls"
    calls.unlink(missing_ok=True)
    result = subprocess.run(["bash", str(tree / "root" / "deploy" / "docker" / script)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return calls.read_text().splitlines()


def index(calls: list[str], *words: str) -> int:
    for i, call in enumerate(calls):
        if all(w in call for w in words):
            return i
    raise AssertionError(f"no docker call with {words}:\n" + "\n".join(calls))


def test_scripts_parse():
    for script in (UP, DOWN):
        subprocess.run(["bash", "-n", str(script)], check=True)
        assert script.stat().st_mode & 0o111, f"{script.name} must be executable"


def test_scripts_know_every_project_of_the_stack():
    text = UP.read_text()
    slugs = re.search(r"^SERVICES=\((.*)\)", text, re.M).group(1).split()
    assert slugs == [s.slug for s in load_services()]
    pairs = dict(re.findall(r"\[(\w+)\]=(\w+)", text))
    assert pairs == projects()
    down = re.search(r"^PROJECTS=\((.*)\)", DOWN.read_text(), re.M).group(1).split()
    assert sorted(down) == sorted(projects().values())


def test_up_does_each_step_in_order(tree):
    calls = run(tree, "up")
    steps = [
        index(calls, '"network", "create", "sd_network"'),
        index(calls, '"base-image"'),
        index(calls, '"wheelhouse"'),
        index(calls, '"build"', "deploy/docker/app/Dockerfile", "ewtto/gateway:latest", "PROJECT=gateway", "SLUG=gateway"),
        index(calls, '"run"', "docker-config", "--app-uid", "10001"),
        index(calls, '"volume", "create", "ewtto-ops-var"'),
        index(calls, '"run"', "ewtto-ops-var:/ops", '"chown"', "10001:10001"),
        index(calls, '"build"', "deploy/docker/mariadb/Dockerfile", "ewtto/mariadb:10.11"),
        index(calls, '"build"', "deploy/docker/nginx/Dockerfile", "ewtto/nginx:latest"),
        index(calls, '"build"', "deploy/docker/app/Dockerfile", "ewtto/servicio_auth:latest", "PROJECT=servicio_auth",
              "SLUG=auth"),
    ]
    for slug in (s.slug for s in load_services()):
        steps.append(index(calls, '"up"', "--no-build", f"{slug}-db-1", f"{slug}-db-2"))
    steps.append(index(calls, '"inspect"', "ventas-db-2"))
    # every running node gets the current accounts file from root on its socket, before setup
    for slug in (s.slug for s in load_services()):
        for host in (f"{slug}-db-1", f"{slug}-db-2"):
            steps.append(index(calls, '"exec"', '"-i"', f'"{host}"', '"mariadb"', '"--user=root"'))
    steps += [
        index(calls, '"run"', "ops-tools", "setup-replication"),
        index(calls, '"run"', "auth-app", "migrate"),
        index(calls, '"run"', "gateway-app", "collectstatic"),
        index(calls, "servicio_auth/docker-compose.yml", '"up"', "--detach", "--remove-orphans"),
        index(calls, "gateway/docker-compose.yml", '"up"', "--detach", "--remove-orphans"),
        index(calls, '"exec"', "auth-app", "ewtto_bootstrap", "EWTTO_DEMO=0"),
        index(calls, '"exec"', "gateway-app", "/health"),
    ]
    assert steps == sorted(steps), "\n".join(calls)
    # every migration runs before any new app container starts
    first_start = min(i for i, c in enumerate(calls) if '"--remove-orphans"' in c)
    assert all(i < first_start for i, c in enumerate(calls) if '"migrate"' in c)
    # the bootstrap of a project without the command is skipped, not run
    assert not any("ewtto_bootstrap" in c and "ventas-app" in c and '"help"' not in c for c in calls)
    # the admin password reaches the container on standard input, never the command line
    assert not any("generated-password" in c for c in calls)
    # each project named on the command line, as Compose v1 and v2 both take it
    for slug, project in projects().items():
        assert all(f'"--project-name", "ewtto-{slug}"' in c for c in calls if f"/{project}/docker-compose.yml" in c)
    # no database or service is ever published or removed with its data
    assert not any(word in c for c in calls for word in ('"-p"', '"--publish"', '"-v"', '"--volumes"'))


def test_up_again_keeps_the_network_and_the_settings(tree):
    run(tree, "up")
    settings = tree / "root" / "deploy" / "docker" / ".env"
    first = settings.read_text()
    assert settings.stat().st_mode & 0o777 == 0o600
    assert re.search(r"^EWTTO_PUBLIC_HOSTS=\S+", first, re.M) and "DJANGO_SECURE_COOKIES=0" in first
    calls = run(tree, "up")
    assert not any('"network", "create"' in c or '"volume", "create"' in c for c in calls)
    assert settings.read_text() == first


def test_down_keeps_the_data(tree):
    run(tree, "up")
    calls = run(tree, "down")
    downs = [c for c in calls if '"down"' in c]
    assert len(downs) == len(projects())
    assert not any(w in c for c in calls for w in ('"-v"', '"--volumes"', '"rm"', '"volume"', '"network"'))


def test_the_boot_unit_runs_up_after_docker_where_the_runbook_clones():
    unit = (REPO / "deploy" / "docker" / "ewtto-docker.service").read_text()
    runbook = (REPO / "docs" / "deploy-vps.md").read_text()
    clone = re.search(r"git clone <repository URL> (\S+)", runbook).group(1)
    assert f"ExecStart={clone}/deploy/docker/up" in unit and f"WorkingDirectory={clone}" in unit
    assert re.search(r"^After=.*docker\.service", unit, re.M) and "Requires=docker.service" in unit
    assert "Type=oneshot" in unit and "WantedBy=multi-user.target" in unit


def test_up_takes_compose_v1_when_the_plugin_is_missing(tree, monkeypatch):
    monkeypatch.setenv("FAKE_NO_COMPOSE_PLUGIN", "1")
    calls = run(tree, "up")
    # every compose call came through docker-compose (the stand-in passes it on as `docker compose`)
    compose_calls = [c for c in calls if c.startswith('["compose"') and '"version"' not in c]
    assert compose_calls and all(c.endswith(" via=v1") for c in compose_calls)
