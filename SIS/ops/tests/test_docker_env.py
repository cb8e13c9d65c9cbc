"""What each container is given against what the code reads: the env files sis_ops.docker
writes for deploy/docker/up, the compose files, the Dockerfiles and the local stack."""
import os
import re
import stat
import textwrap
from pathlib import Path

import pytest

from sis_common.mariadb import accounts
from sis_common.mariadb.nodes import Node, parse_nodes
from sis_ops import docker, render
from sis_ops.environment import stack_from_env
from sis_ops.stack import Stack, load_services

from docker_support import (
    SIS, app_dockerfile, code_roots_of, env_files, env_instructions, env_reads, env_reads_in_source, environment,
    load_compose, matches, needed_reads, ops_code_roots, projects, read_env_file,
)

PROJECTS = projects()
SETTINGS = docker.DeploySettings(public_hosts=("shop.example.com", "203.0.113.7"), secure_cookies=True)


@pytest.fixture(scope="module")
def deploy_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("deploy-docker")
    docker.write_config(path, settings=SETTINGS, owner=(os.getuid(), os.getgid()), app_uid=os.getuid())
    return path


@pytest.fixture(scope="module")
def local_stack(tmp_path_factory):
    return Stack(var=tmp_path_factory.mktemp("local-var"), port=28000, db_port_base=28300)


def container_env(project: str, service_name: str, deploy_dir: Path) -> dict[str, str]:
    """Image ENV, then env files (as generated), then `environment:`, as docker compose merges them."""
    service = load_compose(project)["services"][service_name]
    env = {}
    image = service.get("image", "")
    for p in PROJECTS.values():
        if image == f"ewtto/{p}:latest":
            env.update(env_instructions(app_dockerfile(p)[-1]))
    for entry in env_files(service):
        assert entry.startswith("../../deploy/docker/env/"), entry
        generated = deploy_dir / "env" / Path(entry).name
        assert generated.exists(), f"{service_name}: {entry} is not written by sis_ops.docker.write_config"
        env.update(read_env_file(generated))
    env.update(environment(service))
    return env


def code_containers():
    """(project, service, code roots) of every container that runs our Python code."""
    for slug, project in PROJECTS.items():
        for name, service in load_compose(project)["services"].items():
            image = service.get("image", "")
            if not image.startswith("ewtto/") or image.startswith(("ewtto/mariadb:", "ewtto/nginx:")):
                continue
            roots = ops_code_roots() if name.startswith("ops-") else code_roots_of(project)
            yield project, name, roots


def test_every_variable_the_code_needs_is_given_to_its_container(deploy_dir):
    missing = []
    for project, name, roots in code_containers():
        env = container_env(project, name, deploy_dir)
        for read in needed_reads(roots):
            if read.required and not matches(read, env):
                missing.append(f"{name}: {read.name} (read without a default in {read.where})")
    assert not missing, "variables the code needs but the compose files do not give:\n" + "\n".join(missing)


def supervisor_env_names(stack: Stack, slug: str) -> set[str]:
    """Variables supervisord itself and its program app-<slug> give the local process."""
    text = render.write_supervisor(stack).read_text()
    head = text.split("[program:")[0]
    program = text.split(f"[program:app-{slug}]")[1].split("[program:")[0]
    lines = re.findall(r"^environment=(.*)$", head + program, re.M)
    return {name for line in lines for name in re.findall(r'(\w+)="', line)}


# the local stack points its processes at an env file; docker compose passes the variables themselves
NOT_FOR_CONTAINERS = {"EWTTO_ENV_FILE"}


def test_containers_get_every_variable_the_local_stack_gives(deploy_dir, local_stack):
    for slug, project in PROJECTS.items():
        env = container_env(project, docker.app_host(slug), deploy_dir)
        lost = set(local_stack.env_for(slug)) - set(env)
        assert not lost, f"{docker.app_host(slug)} lacks what bin/up gives {slug}: {sorted(lost)}"
        read = {r.name for r in env_reads(*code_roots_of(project))}
        process = supervisor_env_names(local_stack, slug) - NOT_FOR_CONTAINERS
        assert {"EWTTO_VAR", "DJANGO_SETTINGS_MODULE"} <= process  # the parse found them
        lost = {name for name in process if name in read or name == "DJANGO_SETTINGS_MODULE"} - set(env)
        assert not lost, f"{docker.app_host(slug)} lacks what supervisor gives {slug}: {sorted(lost)}"
        # and nothing the code reads through a built name (f-string) is given locally but not here
        for read in env_reads(*code_roots_of(project)):
            local = matches(read, local_stack.env_for(slug))
            assert set(local) <= set(env), f"{slug}: {read.name} ({read.where}): {sorted(set(local) - set(env))}"


def test_daemons_get_the_settings_of_their_app(deploy_dir):
    for spec in load_services():
        for name in spec.daemons:
            daemon = container_env(spec.project, f"{spec.slug}-{name}", deploy_dir)
            assert daemon == container_env(spec.project, docker.app_host(spec.slug), deploy_dir)


def test_the_scan_finds_what_the_settings_read():
    # guards the guard: known reads are found, with the right required/optional verdict
    reads = {(r.name, r.required) for r in env_reads(*code_roots_of("servicio_auth"))}
    assert {("DJANGO_SECRET_KEY", True), ("EWTTO_DB_NODES", True), ("DJANGO_ALLOWED_HOSTS", True),
            ("EWTTO_DB_CONN_MAX_AGE", False), ("EWTTO_*_URL", False)} <= reads
    source = textwrap.dedent('''
        import os
        from sis_common import conf
        env = conf.env
        A = env("EWTTO_NEW_THING")
        B = env.list("EWTTO_HOSTS", str)
        C = conf.env.int("EWTTO_PORT_X", default=1)
        D = os.environ["EWTTO_RAW"]
        E = os.environ.get("EWTTO_SOFT")
        F = env("EWTTO_CAST", str, "fallback")

        def settings():
            get = os.environ.get
            return get("EWTTO_ALIASED", 1), env.dict("EWTTO_IN_FUNCTION")
    ''')
    found = {(r.name, r.required, r.function) for r in env_reads_in_source(source, "x.py")}
    assert found == {("EWTTO_NEW_THING", True, None), ("EWTTO_HOSTS", True, None), ("EWTTO_PORT_X", False, None),
                     ("EWTTO_RAW", True, None), ("EWTTO_SOFT", False, None), ("EWTTO_CAST", False, None),
                     ("EWTTO_ALIASED", False, "settings"), ("EWTTO_IN_FUNCTION", True, "settings")}
    # the shared library's database settings are needed where settings call conf.databases(), only there
    for project, needed in (("servicio_ventas", True), ("gateway", False)):
        names = {r.name for r in needed_reads(code_roots_of(project)) if r.required}
        assert ("EWTTO_DB_NODES" in names) is needed, project


def test_file_variables_point_at_files_mounted_in_the_container(deploy_dir):
    for project, name, _ in code_containers():
        service = load_compose(project)["services"][name]
        mounted = {str(docker.SECRETS_MOUNT / s["target"]) for s in service.get("secrets", [])}
        for key, value in container_env(project, name, deploy_dir).items():
            if key.endswith("_KEY_FILE"):
                assert value in mounted, f"{name}: {key}={value} but it mounts {sorted(mounted)}"
    auth = container_env("servicio_auth", "auth-app", deploy_dir)
    assert auth["EWTTO_JWT_PRIVATE_KEY_FILE"].endswith("jwt-private.pem")
    for slug in ("sucursales", "inventario", "ventas", "gateway"):
        assert "EWTTO_JWT_PRIVATE_KEY_FILE" not in container_env(PROJECTS[slug], docker.app_host(slug), deploy_dir)


def test_addresses_in_the_settings_are_containers_of_the_compose_files(deploy_dir):
    services = {name: s for p in PROJECTS.values() for name, s in load_compose(p)["services"].items()}
    for slug, project in PROJECTS.items():
        env = container_env(project, docker.app_host(slug), deploy_dir)
        assert env["EWTTO_GUNICORN_BIND"] == f"0.0.0.0:{docker.APP_PORT}"
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        urls = {k: v for k, v in env.items() if re.fullmatch(r"EWTTO_[A-Z]+_URL", k)}
        upstreams = (item.split("=", 1) for item in env.get("EWTTO_UPSTREAMS", "").split(",") if item)
        urls.update({f"upstream {k}": v for k, v in upstreams})
        for key, url in urls.items():
            host = re.fullmatch(r"http://([a-z0-9-]+)", url).group(1)
            assert host in services and host.endswith("-nginx"), f"{slug}: {key}={url}"
            target = environment(services[host])["EWTTO_SERVICE"]
            rendered = docker.nginx_conf(target, (SIS / PROJECTS[target] / "nginx.conf").read_text())
            assert f"listen {docker.NGINX_PORT};" in rendered, f"{host} does not listen where {key} points"
        if "EWTTO_DB_NODES" in env:
            nodes = parse_nodes(env["EWTTO_DB_NODES"])
            assert [n.host for n in nodes] == list(docker.db_hosts(slug))
            for node in nodes:
                assert f"--port={node.port}" in services[node.host]["command"]
        hosts = env["DJANGO_ALLOWED_HOSTS"].split(",")
        # the gateway passes the client's Host on, and services are called by their sidecar's name
        assert {"shop.example.com", "203.0.113.7", docker.nginx_host(slug), "127.0.0.1"} <= set(hosts)
        assert env["DJANGO_SECURE_COOKIES"] == "1"


def test_ops_containers_see_the_same_pairs_as_the_apps(deploy_dir, monkeypatch):
    ops = container_env("gateway", "ops-watchdog", deploy_dir)
    assert ops["EWTTO_STACK"] == "docker" and not any(k.startswith("EWTTO_SECRET_DJANGO") for k in ops)
    for key in list(os.environ):
        if key.startswith("EWTTO_"):
            monkeypatch.delenv(key)
    for key, value in ops.items():
        monkeypatch.setenv(key, value)
    stack = stack_from_env()  # what `python -m sis_ops setup-replication` / `watchdog` build in the container
    assert isinstance(stack, docker.DockerStack)
    for spec in load_services():
        pair = stack.pair_spec(spec.slug)
        app = container_env(spec.project, docker.app_host(spec.slug), deploy_dir)
        db = container_env(spec.project, docker.db_hosts(spec.slug)[0], deploy_dir)
        assert pair.nodes == tuple(Node(h, docker.DB_PORT) for h in docker.db_hosts(spec.slug))
        assert (pair.app.user, pair.app.password) == (app["EWTTO_DB_USER"], app["EWTTO_DB_PASSWORD"])
        assert pair.database == app["EWTTO_DB_NAME"]
        # what root makes on every node of the pair (its --init-file) holds the very accounts the
        # ops tools and the apps log in with, and nothing reaches the database container's env
        assert db == {}
        made = (deploy_dir / "env" / f"{spec.slug}{docker.DB_ACCOUNTS_SUFFIX}").read_text()
        assert made == accounts.init_file(pair)
        for creds in (pair.admin, pair.replication, pair.app, pair.migrator, pair.reader):
            assert f"ALTER USER '{creds.user}'@'%' IDENTIFIED BY '{creds.password}';" in made
        assert pair.replication.password and pair.replication.password != pair.admin.password
    assert stack.env_for.__func__ is docker.DockerStack.env_for


def test_each_container_holds_only_the_internal_secret_it_sends(deploy_dir):
    stack = docker.DockerStack(deploy_dir=deploy_dir, settings=SETTINGS)
    internal = {name: value for name, value in stack.secrets.values.items() if name.startswith("internal_")}
    assert set(internal) == {"internal_auth", "internal_inventario", "internal_ventas", "internal_compras",
                             "internal_clientes", "internal_gateway"}
    for project, name, _ in code_containers():
        values = set(container_env(project, name, deploy_dir).values())
        slug = name.removesuffix("-app").split("-")[0]
        own = {internal.get(f"internal_{slug}")} if not name.startswith("ops-") else set()
        assert values & set(internal.values()) <= own, f"{name} holds another service's internal secret"


def test_database_containers_get_their_accounts_file_as_a_secret_and_no_env(deploy_dir):
    script = (docker.DEPLOY_DIR / "mariadb" / "entrypoint.sh").read_text()
    assert not re.findall(r"\$\{([A-Z_]+):\?", script)  # it reads no variable
    # root is made socket-only: no root password is handed to the containers
    assert "--auth-root-authentication-method=socket" in script
    target = re.search(r"^accounts=/run/secrets/(\S+)$", script, re.M).group(1)
    for spec in load_services():
        doc = load_compose(spec.project)
        for host in docker.db_hosts(spec.slug):
            service = doc["services"][host]
            assert container_env(spec.project, host, deploy_dir) == {}, host
            assert service["secrets"] == [{"source": "db_accounts", "target": target}], host
        source = doc["secrets"]["db_accounts"]["file"]
        assert source == f"../../deploy/docker/env/{spec.slug}{docker.DB_ACCOUNTS_SUFFIX}"
        assert (deploy_dir / "env" / Path(source).name).is_file()
    # a deployment from before: the admin password its entrypoint read is removed
    assert not list((deploy_dir / "env").glob("*-db.env"))


def test_secrets_are_made_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("EWTTO_ADMIN_PASSWORD", raising=False)
    first = docker.write_config(tmp_path, settings=SETTINGS)
    values = (tmp_path / "secrets" / "secrets.json").read_text()
    env_before = (tmp_path / "env" / "auth.env").read_text()
    again = docker.write_config(tmp_path, settings=SETTINGS)
    assert first["admin_password_created"] and not again["admin_password_created"]
    assert (tmp_path / "secrets" / "secrets.json").read_text() == values
    assert (tmp_path / "env" / "auth.env").read_text() == env_before
    for path in [tmp_path / "secrets" / "secrets.json", tmp_path / "secrets" / "admin-password",
                 *(tmp_path / "env").iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE((tmp_path / "env").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "secrets").stat().st_mode) == 0o700


def test_key_files_belong_to_the_containers_user(deploy_dir):
    private = deploy_dir / "secrets" / "jwt-private.pem"
    assert private.stat().st_uid == os.getuid()  # app_uid given to write_config in the fixture
    assert stat.S_IMODE(private.stat().st_mode) == 0o400
    assert stat.S_IMODE((deploy_dir / "secrets" / "jwt-public.pem").stat().st_mode) == 0o444


def test_env_file_values_read_back_unchanged(tmp_path):
    path = tmp_path / "x.env"
    tricky = {"A": "plain-token_1", "B": "has $dollar #hash", "C": "a=b,c=http://x:1/y"}
    path.write_text("".join(f"{k}={docker._env_value(k, v)}\n" for k, v in tricky.items()))
    assert read_env_file(path) == tricky
    with pytest.raises(ValueError, match="D"):
        docker._env_value("D", "two\nlines")


def test_apps_read_the_watchdogs_files_where_the_watchdog_writes_them(deploy_dir):
    from sis_common import watchdog_files

    writer = docker.DockerStack()  # the ops containers' view: the volume at /app/var
    written = {watchdog_files.state_path(writer.var).relative_to(writer.var), watchdog_files.event_log_path(writer.var).relative_to(writer.var)}
    for slug, project in PROJECTS.items():
        env = container_env(project, docker.app_host(slug), deploy_dir)
        read = {Path(env["EWTTO_WATCHDOG_STATE"]), Path(env["EWTTO_WATCHDOG_EVENTS"])}
        assert {p.relative_to(docker.OPS_READ_MOUNT) for p in read} == written, slug
        # gunicorn's metrics go below EWTTO_VAR: the container's own, writable /app/var, not the shared volume
        assert env["EWTTO_VAR"] == str(writer.var) and not Path(env["EWTTO_VAR"]).is_relative_to(docker.OPS_READ_MOUNT)


def test_the_command_deploy_docker_up_runs(tmp_path, monkeypatch, capsys):
    from sis_ops.__main__ import main

    monkeypatch.setattr(docker, "DEPLOY_DIR", tmp_path)
    monkeypatch.setenv("EWTTO_PUBLIC_HOSTS", "shop.example.com, 203.0.113.7")
    monkeypatch.setenv("DJANGO_SECURE_COOKIES", "1")
    monkeypatch.delenv("EWTTO_ADMIN_PASSWORD", raising=False)
    assert main(["docker-config", "--owner", f"{os.getuid()}:{os.getgid()}", "--app-uid", str(os.getuid())]) == 0
    assert '"admin_password_created": true' in capsys.readouterr().out
    gateway = read_env_file(tmp_path / "env" / "gateway.env")
    assert gateway["DJANGO_ALLOWED_HOSTS"].startswith("shop.example.com,203.0.113.7,")
    assert gateway["DJANGO_SECURE_COOKIES"] == "1"
    assert (tmp_path / "secrets" / "admin-password").read_text().strip()


def test_a_chosen_admin_password_is_kept_for_later_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("EWTTO_ADMIN_PASSWORD", "chosen-by-the-operator")
    docker.write_config(tmp_path, settings=SETTINGS)
    monkeypatch.delenv("EWTTO_ADMIN_PASSWORD")
    docker.write_config(tmp_path, settings=SETTINGS)
    kept = tmp_path / "secrets" / "admin-password"
    assert kept.read_text() == "chosen-by-the-operator\n" and stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_nginx_in_docker_resolves_the_app_per_request_and_keeps_the_rest_of_the_config():
    for slug, project in PROJECTS.items():
        template = (SIS / project / "nginx.conf").read_text()
        rendered = docker.nginx_conf(slug, template)
        # no upstream block: its one address would be resolved once, when nginx starts
        assert "upstream app" not in rendered and "proxy_pass http://app;" not in rendered
        assert f"set $ewtto_app {docker.app_host(slug)}:{docker.APP_PORT};" in rendered
        assert rendered.count("proxy_pass http://$ewtto_app;") == template.count("proxy_pass http://app;")
        # a replica that refuses the connection is skipped: the request had not been sent
        assert "proxy_next_upstream error timeout;" in rendered and "proxy_next_upstream off;" not in rendered
        assert "proxy_next_upstream_timeout 5s;" in rendered  # below the read timeout: no slow answer asked twice
        if slug == "gateway":
            # every route to a sidecar names it by a variable, resolved per request too
            for spec in load_services():
                target = f"${docker.edge_target(spec.slug)}"
                assert f"set {target} {docker.nginx_host(spec.slug)}:{docker.NGINX_PORT};" in rendered
                assert f"location /api/{spec.api}/ {{" in rendered
                assert f"proxy_pass http://{target};" in rendered
            assert "upstream edge_" not in rendered
        assert not re.search(r"\$\{[A-Z_]+\}", rendered)
        # everything else the project says is kept (error pages, limits, headers)
        for line in template.splitlines():
            # (a line naming a placeholder is filled in: checked above)
            if line.strip().startswith(("error_page", "client_max_body_size", "proxy_set_header", "return")) \
                    and "${" not in line:
                assert line.strip() in rendered, f"{slug}: {line.strip()} lost"
    main = (docker.DEPLOY_DIR / "nginx" / "main.conf").read_text()
    assert "resolver 127.0.0.11 valid=1s" in main  # Docker's embedded DNS, re-read each second


def test_a_project_nginx_conf_without_the_upstream_fails_loudly():
    with pytest.raises(ValueError, match="upstream app"):
        docker.nginx_conf("auth", "server {\n    listen ${LISTEN};\n}\n")


def test_tls_in_front_switches_on_https_settings_and_nginx_says_https(monkeypatch):
    monkeypatch.setenv("EWTTO_TLS", "1")
    monkeypatch.setenv("EWTTO_TRUSTED_PROXY", "172.18.0.1")
    settings = docker.DeploySettings.from_env()
    assert settings.tls and settings.trusted_proxy == "172.18.0.1"
    template = (SIS / PROJECTS["gateway"] / "nginx.conf").read_text()
    rendered = docker.nginx_conf("gateway", template, trusted_proxy=settings.trusted_proxy, tls=settings.tls)
    assert "set_real_ip_from 172.18.0.1;" in rendered
    assert "proxy_set_header X-Forwarded-Proto https;" in rendered
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in rendered
    plain = docker.nginx_conf("gateway", template)
    assert "set_real_ip_from unix:;" in plain and "proxy_set_header X-Forwarded-Proto $scheme;" in plain
