"""The compose files (no Docker engine here, so the files themselves): the compose
specification, the shared network, published ports, databases, nginx sidecars, daemons."""
import json
import re
import shlex
import subprocess

import jsonschema
import pytest
import yaml

from sis_common.mariadb.server import NODE_CNF, mariadbd_binary
from sis_ops import docker
from sis_ops.stack import REPO, load_services, ops_daemons

from docker_support import (
    SCHEMA, all_services, compose_path, env_files, environment, load_compose, mounts, networks, projects,
    published_ports, resolve,
)

PROJECTS = sorted(projects().values())
SERVICES = {s.slug: s for s in load_services()}


def daemon_containers() -> set[str]:
    """Containers of the daemons of deploy/stack.toml, which serve no HTTP."""
    names = {f"{slug}-{name}" for slug, spec in SERVICES.items() for name in spec.daemons}
    return names | {f"ops-{name}" for name in {"watchdog", *ops_daemons()}}


def one_off(service: dict) -> bool:
    return "tools" in service.get("profiles", [])


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("project", PROJECTS)
def test_compose_file_follows_the_compose_specification(project, validator):
    errors = sorted(validator.iter_errors(load_compose(project)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_the_schema_rejects_what_compose_rejects(validator):
    # guards the guard: a misspelt key and a wrong type must both be caught
    doc = load_compose("gateway")
    doc["services"]["gateway-app"]["restrat"] = "always"
    doc["services"]["gateway-nginx"]["ports"] = "8000:80"
    assert len(list(validator.iter_errors(doc))) == 2


def test_every_service_is_on_sd_network_only():
    for name, (project, service) in all_services().items():
        assert networks(service) == [docker.NETWORK], f"{project}: {name} is not on {docker.NETWORK} alone"
        assert "network_mode" not in service, name
    for project in PROJECTS:
        net = load_compose(project)["networks"][docker.NETWORK]
        assert net == {"name": docker.NETWORK, "external": True}, project


def test_only_the_gateway_nginx_publishes_a_port_and_it_is_8000():
    published = [name for name, (_, s) in all_services().items() if s.get("ports")]
    assert published == ["gateway-nginx"]
    gateway_nginx = load_compose("gateway")["services"]["gateway-nginx"]
    # loopback and 8000 unless deploy/docker/up is told otherwise (deploy/docker/.env, EWTTO_PORT)
    assert gateway_nginx["ports"] == [
        f"${{EWTTO_PUBLISH_ADDRESS:-127.0.0.1}}:${{EWTTO_PORT:-{docker.PUBLIC_PORT}}}:{docker.NGINX_PORT}"]
    text = "\n".join(compose_path(p).read_text() for p in PROJECTS)
    assert "network_mode: host" not in text and "\n    expose:" not in text


def test_names_are_unique_across_the_compose_files():
    names = [name for p in PROJECTS for name in load_compose(p)["services"]]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for name, (_, service) in all_services().items():
        if name.endswith("-app"):
            # scalable: the service name is the address, with one entry per container
            assert "container_name" not in service and "hostname" not in service, name
        else:
            assert service["container_name"] == name  # the address other containers use
    # Compose v1 rejects a top-level name: deploy/docker/up names each project (-p)
    assert all("name" not in load_compose(p) for p in PROJECTS)
    volumes = [v for p in PROJECTS for v in load_compose(p).get("volumes", {}).values()]
    own = [v["name"] for v in volumes if not v.get("external")]
    assert len(own) == len(set(own)) and all(v["name"].startswith("ewtto-") for v in volumes)
    # the only volume shared between files is the watchdog's, made by deploy/docker/up
    assert {v["name"] for v in volumes if v.get("external")} == {docker.OPS_VOLUME}


def test_every_long_running_container_restarts_and_reports_health():
    for name, (_, service) in all_services().items():
        if one_off(service):
            assert service["restart"] == "no", name
            continue
        assert service["restart"] == "unless-stopped", name
        check = service.get("healthcheck", {})
        if check.get("disable"):
            assert name in daemon_containers(), f"{name}: only daemons (no HTTP) go without a health check"
        else:
            assert check.get("test") and check.get("interval"), f"{name} has no health check"


def test_each_service_has_its_pair_app_and_sidecar():
    for slug, project in projects().items():
        names = set(load_compose(project)["services"])
        expected = {docker.app_host(slug), docker.nginx_host(slug)}
        if slug in SERVICES:
            expected |= set(docker.db_hosts(slug))
        assert expected <= names, f"{project}: missing {sorted(expected - names)}"
        if slug in SERVICES:  # compose starts the pair with the app; up waits for it to be healthy first
            depends = load_compose(project)["services"][docker.app_host(slug)]["depends_on"]
            assert set(depends) == set(docker.db_hosts(slug)), project


def database_services():
    for name, (project, service) in all_services().items():
        if service.get("image", "").startswith("ewtto/mariadb:"):
            yield name, project, service


def test_every_database_keeps_its_data_in_a_named_volume_and_restarts():
    found = list(database_services())
    assert len(found) == 2 * len(SERVICES)
    for name, project, service in found:
        data = [m for m in mounts(service) if m.target == "/var/lib/mysql"]
        assert len(data) == 1 and not data[0].is_bind, f"{name}: no named volume for its datadir"
        assert data[0].source in load_compose(project)["volumes"], name
        assert service["restart"] == "unless-stopped"
        assert service["stop_grace_period"] == "60s"  # a clean InnoDB shutdown, not a kill


MARIADB_DOCKERFILE = docker.DEPLOY_DIR / "mariadb" / "Dockerfile"


def test_every_mariadb_image_holds_the_config_of_the_local_stack():
    for name, project, service in database_services():
        assert not [m for m in mounts(service) if m.is_bind], f"{name}: the image holds its files"
    copies = re.findall(r"^COPY (\S+) (\S+)$", MARIADB_DOCKERFILE.read_text(), re.M)
    assert ("deploy/mariadb/node.cnf", "/etc/mysql/mariadb.conf.d/90-ewtto-node.cnf") in copies
    # Debian reads mariadb.conf.d in name order: 90- comes after its own 50-server.cnf
    assert re.search(r"^ENTRYPOINT \[\"ewtto-mariadb\"\]", MARIADB_DOCKERFILE.read_text(), re.M)


def test_mariadb_image_is_the_local_servers_version():
    out = subprocess.run([mariadbd_binary(), "--version"], capture_output=True, text=True, check=True).stdout
    local = re.search(r"Ver (\d+\.\d+)\.", out).group(1)
    for name, _, service in database_services():
        assert service["image"] == f"ewtto/mariadb:{local}", f"{name}: {service['image']} but the local stack runs {local}"
    # Debian bookworm's mariadb-server is the 10.11 series, as the local stack
    text = MARIADB_DOCKERFILE.read_text()
    assert "FROM debian:bookworm-slim" in text and "mariadb-server" in text and local == "10.11"


def test_per_node_values_come_from_the_command_line():
    assert re.search(r"^bind_address\s*=\s*127\.0\.0\.1", NODE_CNF.read_text(), re.M)
    server_ids = []
    for slug, spec in SERVICES.items():
        compose = load_compose(spec.project)["services"]
        for host, server_id in zip(docker.db_hosts(slug), spec.db_offsets):
            command = compose[host]["command"]
            # node.cnf binds to loopback (local stack); in sd_network the node must listen for its peers
            assert "--bind-address=0.0.0.0" in command, host
            assert f"--server-id={server_id}" in command, host
            assert f"--port={docker.DB_PORT}" in command, host
            server_ids.append(server_id)
    assert len(server_ids) == len(set(server_ids))


def test_the_mariadb_entrypoint_has_root_run_the_accounts_file_on_every_start():
    script = docker.DEPLOY_DIR / "mariadb" / "entrypoint.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text()
    # no SQL of its own: the accounts come from sis_common.mariadb.accounts alone
    assert "GRANT" not in text and "CREATE USER" not in text
    assert text.rstrip().endswith('exec mariadbd --user=mysql --init-file="$init_file" "$@"')
    # the init file is copied for mariadbd alone, after the first start's datadir is made
    assert text.index("mariadb-install-db") < text.index('install -m 0600 -o mysql -g mysql "$accounts" "$init_file"')


def test_nginx_sidecars_serve_their_project_from_the_rendered_configs():
    for slug, project in projects().items():
        compose = load_compose(project)["services"]
        nginx, app = compose[docker.nginx_host(slug)], compose[docker.app_host(slug)]
        assert nginx["image"] == "ewtto/nginx:latest"
        assert environment(nginx) == {"EWTTO_SERVICE": slug}
        rendered = docker.nginx_conf(slug, (REPO / "SIS" / project / "nginx.conf").read_text())
        # nginx serves the static files the app collects: the same volume at the same path
        static_root = f"/app/var/static/{slug}"
        assert f"alias {static_root}/;" in rendered
        static_app = {m.target: m.source for m in mounts(app)}
        static_nginx = {m.target: m.source for m in mounts(nginx) if m.read_only and not m.is_bind}
        assert static_nginx == {static_root: static_app[static_root]}
        # the app's name is resolved per request, so nginx needs no restart with the app
        assert "depends_on" not in nginx


def test_depends_on_stays_inside_its_file():
    for project in PROJECTS:
        services = load_compose(project)["services"]
        for name, service in services.items():
            assert set(service.get("depends_on", {})) <= set(services), f"{project}: {name}"


def test_bind_mounts_exist_and_generated_files_are_ignored_by_git():
    generated = []
    for project in PROJECTS:
        doc = load_compose(project)
        for name, service in doc["services"].items():
            for m in mounts(service):
                if m.is_bind:
                    assert resolve(project, m.source).exists(), f"{project}: {name} mounts a missing {m.source}"
            generated += [resolve(project, f) for f in env_files(service)]
        generated += [resolve(project, s["file"]) for s in doc.get("secrets", {}).values()]
    for path in set(generated):
        assert path.parent in (docker.DEPLOY_DIR / "env", docker.DEPLOY_DIR / "secrets"), path
        ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=REPO)
        assert ignored.returncode == 0, f"{path} holds secrets and must be ignored by git"


def test_every_daemon_of_the_local_stack_runs_as_a_container():
    """Daemons in deploy/stack.toml: per service ([services.X.daemons]) and stack-wide ([ops.daemons])."""
    for slug, spec in SERVICES.items():
        compose = load_compose(spec.project)["services"]
        app = compose[docker.app_host(slug)]
        for name, command in spec.daemons.items():
            service = compose.get(f"{slug}-{name}")
            assert service, f"{spec.project}/docker-compose.yml has no container for the daemon {name!r}"
            assert service["command"] == ["python", *shlex.split(command)]
            assert service["image"] == app["image"] and env_files(service) == env_files(app)
            assert service["restart"] == "unless-stopped" and service["healthcheck"] == {"disable": True}
    gateway = load_compose("gateway")["services"]
    wanted = {"watchdog": "-m sis_ops watchdog", **ops_daemons()}
    for name, command in wanted.items():
        service = gateway.get(f"ops-{name}")
        assert service, f"gateway/docker-compose.yml has no container for the ops daemon {name!r}"
        assert service["command"] == ["python", *shlex.split(command)], f"ops-{name} runs another command"
        assert service["working_dir"] == "/app"  # the local stack runs it from the repository root
        assert env_files(service) == ["../../deploy/docker/env/ops.env"]
        assert service["image"] == gateway["gateway-app"]["image"]


def test_compose_files_need_no_variables_from_the_shell():
    # a forgotten variable would silently become an empty string: each one has its default
    for project in PROJECTS:
        text = compose_path(project).read_text()
        assert not re.search(r"\$[A-Za-z_]", text), project
        for variable in re.findall(r"\$\{([^}]*)\}", text):
            assert re.fullmatch(r"EWTTO_[A-Z_]+:-[0-9.]+", variable), f"{project}: ${{{variable}}} has no default"
        assert yaml.safe_load(text)  # and it parses


def test_the_watchdogs_volume_is_written_by_the_ops_containers_and_read_by_the_apps():
    for name, (project, service) in all_services().items():
        image = service.get("image", "")
        # the Django images; the databases and nginx have no use for the watchdog's files
        if not image.startswith("ewtto/") or image.startswith(("ewtto/mariadb:", "ewtto/nginx:")):
            continue
        declared = load_compose(project)["volumes"]
        ops = [m for m in mounts(service) if declared.get(m.source, {}).get("name") == docker.OPS_VOLUME]
        assert len(ops) == 1, f"{name} does not mount {docker.OPS_VOLUME}"
        assert declared[ops[0].source]["external"] is True
        if name.startswith("ops-"):
            assert (ops[0].target, ops[0].read_only) == (str(docker.DockerStack().var), False), name
        else:
            assert (ops[0].target, ops[0].read_only) == (str(docker.OPS_READ_MOUNT), True), name


def test_only_the_watchdog_reaches_the_docker_engine():
    socket = "/var/run/docker.sock"
    holders = [name for name, (_, service) in all_services().items()
               if any(m.source == socket for m in mounts(service))]
    assert holders == ["ops-watchdog"]
    watchdog = load_compose("gateway")["services"]["ops-watchdog"]
    assert [m for m in mounts(watchdog) if m.source == socket][0].target == socket
    # the socket's group, not root: deploy/docker/up reads it from the socket
    assert watchdog["group_add"] == ["${EWTTO_DOCKER_GID:-0}"] and watchdog["user"] == "10001:10001"
    assert "EWTTO_DOCKER_GID=\"$(stat -c %g /var/run/docker.sock" in (docker.DEPLOY_DIR / "up").read_text()
