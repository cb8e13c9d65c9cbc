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
    #!/usr/bin/env python3
    """Stand-in docker client: records argv, keeps the network's existence in a file."""
    import json, os, sys
    from pathlib import Path
    state = Path(os.environ["FAKE_DOCKER_STATE"])
    args = sys.argv[1:]
    with open(state / "calls", "a") as log:
        extra = " EWTTO_ADMIN_PASSWORD=set" if os.environ.get("EWTTO_ADMIN_PASSWORD") else ""
        log.write(json.dumps(args) + extra + "\\n")
    if args[:2] == ["network", "inspect"]:
        sys.exit(0 if (state / "network").exists() else 1)
    if args[:2] == ["network", "create"]:
        (state / "network").touch()
    if args[:2] == ["volume", "inspect"]:
        sys.exit(0 if (state / "volume").exists() else 1)
    if args[:2] == ["volume", "create"]:
        (state / "volume").touch()
    if args and args[0] == "run" and "docker-config" in args:
        # what sis_ops docker-config leaves behind, as far as up reads it
        secrets = state / "root" / "deploy" / "docker" / "secrets"
        secrets.mkdir(parents=True, exist_ok=True)
        (secrets / "admin-password").write_text("generated-password\\n")
    if args[:1] == ["exec"] and "gateway-app" in args:
        print(json.dumps({"status": "ok", "services": {}}, indent=1))
    if "exec" in args and "help" in args and "ewtto_bootstrap" in args:
        sys.exit(0 if "auth-app" in args else 1)  # only auth has the command in this run
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
        index(calls, '"build"', "SIS/gateway/Dockerfile"),
        index(calls, '"run"', "docker-config", "--app-uid", "10001"),
        index(calls, '"volume", "create", "ewtto-ops-var"'),
        index(calls, '"run"', "ewtto-ops-var:/ops", '"chown"', "10001:10001"),
        index(calls, "servicio_auth/docker-compose.yml", '"build"'),
    ]
    for slug in (s.slug for s in load_services()):
        steps.append(index(calls, '"up"', "--wait", f"{slug}-db-1", f"{slug}-db-2"))
    steps += [
        index(calls, '"run"', "ops-tools", "setup-replication"),
        index(calls, '"run"', "auth-app", "migrate"),
        index(calls, '"run"', "gateway-app", "collectstatic"),
        index(calls, "servicio_auth/docker-compose.yml", '"up"', "--detach", "--remove-orphans"),
        index(calls, "gateway/docker-compose.yml", '"up"', "--detach", "--remove-orphans"),
        index(calls, '"exec"', "auth-app", "ewtto_bootstrap", "EWTTO_DEMO=0", "EWTTO_ADMIN_PASSWORD=set"),
        index(calls, '"exec"', "gateway-app", "/health"),
    ]
    assert steps == sorted(steps), "\n".join(calls)
    # every migration runs before any new app container starts
    first_start = min(i for i, c in enumerate(calls) if '"--remove-orphans"' in c)
    assert all(i < first_start for i, c in enumerate(calls) if '"migrate"' in c)
    # the bootstrap of a project without the command is skipped, not run
    assert not any("ewtto_bootstrap" in c and "ventas-app" in c and '"help"' not in c for c in calls)
    # the admin password reaches the container through the environment, never the command line
    assert not any("generated-password" in c for c in calls)
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
