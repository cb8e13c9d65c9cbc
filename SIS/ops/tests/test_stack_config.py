"""The local stack's generated configuration: secrets, env files, supervisor and nginx configs."""
import hashlib
import json
import stat

import pytest

from sis_common import internal_callers
from sis_ops import render
from sis_ops.stack import Stack


@pytest.fixture
def stack(tmp_path):
    return Stack(var=tmp_path / "var", port=18000, db_port_base=18300)


def test_secrets_are_generated_once_and_private(stack):
    first = dict(stack.secrets.values)
    again = Stack(var=stack.var, port=stack.port, db_port_base=stack.db_port_base)
    assert again.secrets.values == first
    assert stat.S_IMODE((stack.var / "secrets" / "secrets.json").stat().st_mode) == 0o600
    assert stat.S_IMODE(stack.secrets.jwt_private.stat().st_mode) == 0o600
    assert len(set(first.values())) == len(first)


def test_every_pair_has_its_own_database_passwords(stack):
    specs = [stack.pair_spec(s.slug) for s in stack.services]
    for role in ("admin", "replication", "reader", "app", "migrator"):
        passwords = [getattr(spec, role).password for spec in specs]
        assert len(set(passwords)) == len(specs), role
    assert len({spec.replication.user for spec in specs}) == len(specs)


def test_an_old_secrets_file_gets_per_pair_passwords_and_loses_the_shared_ones(stack, tmp_path):
    secrets_dir = stack.var / "secrets"
    secrets_dir.mkdir(parents=True)
    old = {"db_admin": "shared-admin", "db_repl": "shared-repl", "db_app_auth": "kept-app", "django_auth": "kept-key"}
    (secrets_dir / "secrets.json").write_text(json.dumps(old))
    values = stack.secrets.values
    assert not {"db_admin", "db_repl", "db_backup"} & set(values)
    assert (values["db_app_auth"], values["django_auth"]) == ("kept-app", "kept-key")
    assert stack.pair_spec("auth").app.password == "kept-app"
    assert {stack.pair_spec(s.slug).admin.password for s in stack.services}.isdisjoint({"shared-admin"})
    assert json.loads((secrets_dir / "secrets.json").read_text()) == values
    assert stat.S_IMODE((secrets_dir / "secrets.json").stat().st_mode) == 0o600


def test_only_auth_gets_the_private_key(stack):
    assert "EWTTO_JWT_PRIVATE_KEY_FILE" in stack.env_for("auth")
    for slug in ("sucursales", "inventario", "ventas", "compras", "clientes", "gateway"):
        assert "EWTTO_JWT_PRIVATE_KEY_FILE" not in stack.env_for(slug)


def test_each_service_gets_its_own_pair_and_account(stack):
    envs = {s.slug: stack.env_for(s.slug) for s in stack.services}
    assert envs["inventario"]["EWTTO_DB_NODES"] == "127.0.0.1:18331,127.0.0.1:18332"
    assert envs["compras"]["EWTTO_DB_NODES"] == "127.0.0.1:18351,127.0.0.1:18352"
    assert envs["clientes"]["EWTTO_DB_NODES"] == "127.0.0.1:18361,127.0.0.1:18362"
    assert len({e["EWTTO_DB_PASSWORD"] for e in envs.values()}) == len(envs) == 6
    assert len({e["EWTTO_DB_USER"] for e in envs.values()}) == 6


def test_each_service_holds_its_own_internal_secret_and_the_digests_of_its_callers_only(stack):
    secrets = {c: stack.secrets.value(internal_callers.secret_name(c)) for c in internal_callers.callers()}
    assert internal_callers.callers() == {"auth", "inventario", "ventas", "compras", "clientes", "gateway"}
    assert len(set(secrets.values())) == len(secrets)
    assert set(internal_callers.EXPECTED_CALLERS) == {*(s.slug for s in stack.services), "gateway"}
    for slug in stack.projects:
        env = stack.env_for(slug)
        assert env.get("EWTTO_INTERNAL_TOKEN") == secrets.get(slug)
        # no other caller's secret anywhere in its environment
        assert not set(env.values()) & (set(secrets.values()) - {secrets.get(slug)}), slug
        kept = dict(item.split(":") for item in env["EWTTO_INTERNAL_CALLERS"].split(",") if item)
        assert kept == {c: hashlib.sha256(secrets[c].encode()).hexdigest()
                        for c in internal_callers.accepted_by(slug)}, slug
    assert set(dict(i.split(":") for i in stack.env_for("inventario")["EWTTO_INTERNAL_CALLERS"].split(","))) == {
        "ventas", "compras", "gateway"}
    assert "EWTTO_INTERNAL_TOKEN" not in stack.env_for("sucursales")  # it calls nobody


def test_env_files_are_private(stack):
    render.write_env_files(stack)
    for slug in stack.projects:
        path = stack.env_dir / f"{slug}.env"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "DJANGO_SECRET_KEY=" in path.read_text()


def test_supervisor_runs_every_node_app_and_sidecar(stack):
    text = render.write_supervisor(stack).read_text()
    for spec in stack.services:
        for node in stack.local_nodes(spec.slug):
            assert f"[program:db-{node.name}]" in text
    for slug in stack.projects:
        assert f"[program:app-{slug}]" in text and f"[program:nginx-{slug}]" in text
    assert text.count("autorestart=true") == text.count("[program:")


def test_nginx_template_fills_ours_and_keeps_nginx_variables(stack):
    conf = render.write_nginx(stack, "ventas")
    server = (conf.parent / "server.conf").read_text()
    assert "listen 127.0.0.1:18004;" in server
    assert "server 127.0.0.1:18014" in server
    assert "$proxy_add_x_forwarded_for" in server and "${" not in server


def test_rendering_again_empties_the_edge_cache_but_keeps_its_folders(stack):
    # a running nginx (a second bin/up) writes into the folders it made and makes none again
    render.write_nginx(stack, "gateway")
    cached = stack.run_dir / "nginx" / "gateway" / "edge-auth" / "1" / "f1" / "decision"
    cached.parent.mkdir(parents=True)
    cached.write_text("an old decision")
    render.write_nginx(stack, "gateway")
    assert cached.parent.is_dir() and not cached.exists()


def test_every_listener_is_loopback(stack):
    render.write_supervisor(stack)
    for slug in stack.projects:
        server = (stack.run_dir / "nginx" / slug / "server.conf").read_text()
        assert "listen 127.0.0.1:" in server
    assert "bind_address                    = 127.0.0.1" in (render.REPO / "deploy/mariadb/node.cnf").read_text()
