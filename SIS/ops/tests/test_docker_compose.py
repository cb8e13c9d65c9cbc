"""The five compose files (no Docker engine here, so the files themselves): the compose
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
    published = {name: published_ports(s) for name, (_, s) in all_services().items() if s.get("ports")}
    assert published == {"gateway-nginx": [str(docker.PUBLIC_PORT)]}
    gateway_nginx = load_compose("gateway")["services"]["gateway-nginx"]
    assert gateway_nginx["ports"] == [f"{docker.PUBLIC_PORT}:{docker.NGINX_PORT}"]
    text = "\n".join(compose_path(p).read_text() for p in PROJECTS)
    assert "network_mode: host" not in text and "\n    expose:" not in text


def test_names_are_unique_across_the_five_files():
    names = [name for p in PROJECTS for name in load_compose(p)["services"]]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for name, (_, service) in all_services().items():
        assert service["container_name"] == name  # the address other containers use
    assert len({load_compose(p)["name"] for p in PROJECTS}) == len(PROJECTS)
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
        if service.get("image", "").startswith("mariadb"):
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


def test_every_mariadb_container_mounts_the_config_of_the_local_stack():
    for name, project, service in database_services():
        configs = [m for m in mounts(service) if m.is_bind and m.target.endswith(".cnf")]
        assert len(configs) == 1, name
        assert resolve(project, configs[0].source) == NODE_CNF.resolve(), f"{name} mounts another config"
        # conf.d is read last by the image, so node.cnf overrides the image's own defaults
        assert configs[0].target.startswith("/etc/mysql/conf.d/") and configs[0].read_only


def test_mariadb_image_is_the_local_servers_version():
    out = subprocess.run([mariadbd_binary(), "--version"], capture_output=True, text=True, check=True).stdout
    local = re.search(r"Ver (\d+\.\d+)\.", out).group(1)
    for name, _, service in database_services():
        assert service["image"] == f"mariadb:{local}", f"{name}: {service['image']} but the local stack runs {local}"


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


def test_databases_get_the_admin_account_script_and_it_is_sourced_not_binlogged():
    script_dir = docker.DEPLOY_DIR / "mariadb" / "initdb.d"
    for name, project, service in database_services():
        init = [m for m in mounts(service) if m.target == "/docker-entrypoint-initdb.d"]
        assert len(init) == 1 and resolve(project, init[0].source) == script_dir and init[0].read_only, name
    for script in script_dir.glob("*.sh"):
        # sourced (not executed) by the image's entrypoint, so it can use docker_process_sql
        assert not script.stat().st_mode & 0o111, f"{script.name} must not be executable"
        subprocess.run(["bash", "-n", str(script)], check=True)
        text = script.read_text()
        assert text.index("sql_log_bin = 0") < text.index("CREATE USER")


def test_nginx_sidecars_fill_every_placeholder_of_their_template():
    for slug, project in projects().items():
        compose = load_compose(project)["services"]
        nginx, app = compose[docker.nginx_host(slug)], compose[docker.app_host(slug)]
        template = [m for m in mounts(nginx) if m.target == "/etc/nginx/templates/default.conf.template"]
        assert len(template) == 1 and resolve(project, template[0].source) == REPO / "SIS" / project / "nginx.conf"
        placeholders = set(re.findall(r"\$\{([A-Z_]+)\}", (REPO / "SIS" / project / "nginx.conf").read_text()))
        env = environment(nginx)
        assert set(env) == placeholders, \
            f"{project}: the template needs {sorted(placeholders)}, compose sets {sorted(env)}"
        assert env["LISTEN"] == str(docker.NGINX_PORT)
        assert env["APP_ADDR"] == f"{docker.app_host(slug)}:{docker.APP_PORT}"
        assert env["SERVICE"] == slug
        # nginx serves the static files the app collects: the same volume at the same path
        static_app = {m.target: m.source for m in mounts(app)}
        static_nginx = {m.target: m.source for m in mounts(nginx) if m.read_only and not m.is_bind}
        assert static_nginx == {env["STATIC_ROOT"]: static_app[env["STATIC_ROOT"]]}
        assert nginx["depends_on"][docker.app_host(slug)]["restart"] is True


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
    # no ${...}: a forgotten variable would silently become an empty string
    for project in PROJECTS:
        text = compose_path(project).read_text()
        assert "${" not in text and not re.search(r"\$[A-Za-z_]", text), project
        assert yaml.safe_load(text)  # and it parses


def test_the_watchdogs_volume_is_written_by_the_ops_containers_and_read_by_the_apps():
    for name, (project, service) in all_services().items():
        if not service.get("image", "").startswith("ewtto/"):
            continue
        declared = load_compose(project)["volumes"]
        ops = [m for m in mounts(service) if declared.get(m.source, {}).get("name") == docker.OPS_VOLUME]
        assert len(ops) == 1, f"{name} does not mount {docker.OPS_VOLUME}"
        assert declared[ops[0].source]["external"] is True
        if name.startswith("ops-"):
            assert (ops[0].target, ops[0].read_only) == (str(docker.DockerStack().var), False), name
        else:
            assert (ops[0].target, ops[0].read_only) == (str(docker.OPS_READ_MOUNT), True), name
