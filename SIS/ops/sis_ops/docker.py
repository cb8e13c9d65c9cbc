"""The stack as Docker containers on sd_network: hostnames, secrets and per-container env files.

deploy/docker/up runs `python -m sis_ops docker-config` once per deploy (in a one-off
container of the gateway image) to write the secrets and env files the compose files
read; the ops containers (setup-replication, the watchdog) get a DockerStack from
environment.stack_from_env() when EWTTO_STACK=docker, so they run the local stack's own code
against the containers' hostnames.
"""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sis_common import watchdog_files
from sis_common.mariadb import accounts
from sis_common.mariadb.nodes import Node
from sis_common.mariadb.replication import PairSpec

from . import edgeroutes
from .render import fill
from .secrets import Secrets
from .stack import REPO, Stack, load_services

NETWORK = "sd_network"
DEPLOY_DIR = REPO / "deploy" / "docker"
# inside the containers (the images lay the repository out under /app)
CONTAINER_VAR = Path("/app/var")
SECRETS_MOUNT = Path("/run/secrets")
# the watchdog's var (state, event log, control files): a volume shared by every compose
# files, read-write at /app/var in the ops containers and read-only at /app/ops in the apps,
# whose own /app/var/run holds per-container files (gunicorn's metrics)
OPS_VOLUME = "ewtto-ops-var"
OPS_READ_MOUNT = Path("/app/ops")
APP_UID = 10001  # the images' non-root user; it must be able to read the JWT key files
APP_PORT = 8000  # gunicorn in every app container
NGINX_PORT = 80  # every nginx sidecar in its container
DB_PORT = 3306
PUBLIC_PORT = 8000  # published by the gateway's nginx only
# secrets the ops containers need: database accounts (replication setup, failover); they call no service
OPS_SECRET_PREFIXES = ("db_",)
SAFE_VALUE = re.compile(r"[A-Za-z0-9_.,:/=+@%-]*")


# the upstream block of a project's nginx.conf: one fixed address, resolved once at start
UPSTREAM_BLOCK = re.compile(r"^upstream app \{\n.*?^\}\n+", re.MULTILINE | re.DOTALL)
PROXY_TO_UPSTREAM = "proxy_pass http://app;"
NEXT_UPSTREAM_OFF = "proxy_next_upstream off;"
EDGE_CACHE_DIR = "/run/ewtto-nginx/edge-auth"


def app_host(slug: str) -> str:
    return f"{slug}-app"


def nginx_host(slug: str) -> str:
    return f"{slug}-nginx"


def db_hosts(slug: str) -> tuple[str, str]:
    return f"{slug}-db-1", f"{slug}-db-2"


DOCKER_NETWORKS = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8"
MIGRATE_ENV_SUFFIX = "-migrate.env"
DB_ACCOUNTS_SUFFIX = "-db-accounts.sql"


@dataclass(frozen=True)
class DeploySettings:
    """What the operator decides in deploy/docker/.env: public host names and cookie security."""

    public_hosts: tuple[str, ...] = ()
    secure_cookies: bool = False
    # the operator's TLS proxy or load balancer in front of the gateway nginx (address or CIDR),
    # whose X-Forwarded-For it believes; "unix:" is nobody, as clients connect over TCP
    trusted_proxy: str = "unix:"
    # TLS is terminated in front of the gateway (the operator's proxy): https, HSTS, secure cookies
    tls: bool = False

    @classmethod
    def from_env(cls) -> "DeploySettings":
        hosts = os.environ.get("EWTTO_PUBLIC_HOSTS", "")
        return cls(
            public_hosts=tuple(h.strip() for h in hosts.split(",") if h.strip()),
            secure_cookies=os.environ.get("DJANGO_SECURE_COOKIES", "0").lower() in ("1", "true", "yes", "on"),
            trusted_proxy=os.environ.get("EWTTO_TRUSTED_PROXY", "").strip() or "unix:",
            tls=os.environ.get("EWTTO_TLS", "0").lower() in ("1", "true", "yes", "on"),
        )


@dataclass
class DockerStack(Stack):
    """The local stack's data with Docker hostnames; `var` is the containers' /app/var."""

    var: Path = CONTAINER_VAR
    port: int = PUBLIC_PORT
    # where deploy/docker lives when generating files; None inside the ops containers
    deploy_dir: Path | None = None
    settings: DeploySettings = field(default_factory=DeploySettings)

    @classmethod
    def from_env(cls) -> "DockerStack":
        """The view of an ops container: secrets come from its env file (EWTTO_SECRET_*)."""
        return cls(var=Path(os.environ.get("EWTTO_VAR", CONTAINER_VAR)), settings=DeploySettings.from_env())

    @cached_property
    def secrets(self) -> Secrets:
        if self.deploy_dir is not None:
            # the very code that makes the local stack's secrets, kept in deploy/docker/secrets
            return Secrets.load_or_create(self.deploy_dir / "secrets", [s.slug for s in self.services])
        values = {k.removeprefix("EWTTO_SECRET_").lower(): v for k, v in os.environ.items()
                  if k.startswith("EWTTO_SECRET_")}
        return Secrets(SECRETS_MOUNT, values)

    # addresses inside sd_network
    def nginx_port(self, slug: str) -> int:
        return NGINX_PORT

    def app_port(self, slug: str) -> int:
        return APP_PORT

    def url(self, slug: str = "gateway") -> str:
        return f"http://{nginx_host(slug)}"

    def pair_spec(self, slug: str) -> PairSpec:
        spec = super().pair_spec(slug)  # accounts exactly as the local stack makes them
        # no local sockets: each container's entrypoint makes its accounts (db_accounts_sql)
        return dataclasses.replace(spec, nodes=tuple(Node(host, DB_PORT) for host in db_hosts(slug)), sockets={})

    @property
    def ops_view(self) -> "DockerStack":
        """The watchdog's var as the app containers mount it (read-only)."""
        return DockerStack(var=OPS_READ_MOUNT, settings=self.settings)

    # environment of each container
    def allowed_hosts(self, slug: str) -> str:
        # the gateway forwards the client's Host header, so every project accepts the public names
        hosts = [*self.settings.public_hosts, nginx_host(slug), app_host(slug), "127.0.0.1", "localhost"]
        return ",".join(dict.fromkeys(hosts))

    def env_for(self, slug: str) -> dict[str, str]:
        env = super().env_for(slug)  # the same variables as the local stack, then the Docker values
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_ALLOWED_HOSTS": self.allowed_hosts(slug),
            "DJANGO_SECURE_COOKIES": "1" if self.settings.secure_cookies or self.settings.tls else "0",
            "EWTTO_TLS": "1" if self.settings.tls else "0",
            "EWTTO_GUNICORN_BIND": f"0.0.0.0:{APP_PORT}",
            "EWTTO_JWT_PUBLIC_KEY_FILE": str(SECRETS_MOUNT / self.secrets.jwt_public.name),
            # what supervisord gives every local process
            "EWTTO_VAR": str(self.var),
            # the watchdog's files, where the apps see the ops volume
            "EWTTO_WATCHDOG_STATE": str(watchdog_files.state_path(self.ops_view.var)),
            "EWTTO_WATCHDOG_EVENTS": str(watchdog_files.event_log_path(self.ops_view.var)),
            # our hops are containers of sd_network, whose subnet Docker picks from the private
            # ranges; only our containers reach the sidecars, and the gateway nginx writes the chain
            "EWTTO_TRUSTED_PROXIES": DOCKER_NETWORKS,
        })
        if "EWTTO_JWT_PRIVATE_KEY_FILE" in env:
            env["EWTTO_JWT_PRIVATE_KEY_FILE"] = str(SECRETS_MOUNT / self.secrets.jwt_private.name)
        return env

    def db_accounts_sql(self, slug: str) -> str:
        """What deploy/docker/mariadb/entrypoint.sh gives mariadbd as --init-file on every start.

        Root runs it before the node takes connections: the node's schema and accounts, exactly
        as bin/up makes them locally over the socket, outside the binary log.
        """
        return accounts.init_file(self.pair_spec(slug))

    def ops_env(self) -> dict[str, str]:
        """The ops containers (replication setup, watchdog): the stack as data plus database secrets."""
        env = {"EWTTO_STACK": "docker", "EWTTO_VAR": str(self.var)}
        for name, value in sorted(self.secrets.values.items()):
            if name.startswith(OPS_SECRET_PREFIXES):
                env[f"EWTTO_SECRET_{name.upper()}"] = value
        return env

    def env_files(self) -> dict[str, dict[str, str]]:
        """Every env file the compose files name, by file stem (deploy/docker/env/<stem>.env)."""
        files = {slug: self.env_for(slug) for slug in self.projects}
        files["ops"] = self.ops_env()
        return files


def nginx_conf(slug: str, template: str, *, trusted_proxy: str = "unix:", tls: bool = False,
               services: list | None = None) -> str:
    """A project's nginx.conf for Docker: the app's name resolved per request, not once.

    An app scaled to several containers is one name in Docker's DNS with an address for each
    (the resolver of deploy/docker/nginx/main.conf re-reads it every second), so nginx spreads
    requests over every replica and tries the next when one refuses or drops the connection
    (within 5 s, so a slow answer is never asked twice); a request already sent is not repeated
    unless its method is idempotent (nginx's rule). A sidecar that made no connection to any
    replica answers 503 itself (its @app_timeout), so the gateway passes the JSON answer on.
    """
    services = load_services() if services is None else services
    if not UPSTREAM_BLOCK.search(template) or PROXY_TO_UPSTREAM not in template:
        raise ValueError(f"{slug}: nginx.conf has no 'upstream app' block proxied to")
    body = UPSTREAM_BLOCK.sub("", template, count=1)
    body = body.replace(PROXY_TO_UPSTREAM, "proxy_pass http://$ewtto_app;")
    body = body.replace(NEXT_UPSTREAM_OFF, ("proxy_next_upstream error timeout;\n        proxy_next_upstream_tries 3;\n"
                                                  "        proxy_next_upstream_timeout 5s;"))
    sets = "    set $ewtto_app ${APP_ADDR};\n"
    if "${EDGE_ROUTES}" in body:  # the gateway: each sidecar's name too
        sets += "".join(f"    set ${edge_target(s.slug)} {nginx_host(s.slug)}:{NGINX_PORT};\n" for s in services)
    body = re.sub(r"^server \{\n", lambda m: "server {\n" + sets, body, count=1, flags=re.MULTILINE)
    return fill(body, {
        "LISTEN": str(NGINX_PORT),
        "APP_ADDR": f"{app_host(slug)}:{APP_PORT}",
        "STATIC_ROOT": f"/app/var/static/{slug}",
        "SERVICE": slug,
        "TRUSTED_PROXY": trusted_proxy,
        "PUBLIC_SCHEME": "https" if tls else "$scheme",
        # the gateway's: its cached decisions (gone with the container) and the routes to the sidecars,
        # each name resolved per request like the app's
        "CACHE_DIR": EDGE_CACHE_DIR,
        "EDGE_UPSTREAMS": "",
        "EDGE_ROUTES": edgeroutes.route_blocks(services, target=lambda slug: f"${edge_target(slug)}"),
    })


def edge_target(slug: str) -> str:
    """The gateway nginx's variable naming a service's sidecar."""
    return f"ewtto_edge_{slug}"


def write_nginx_configs(stack: "DockerStack", directory: Path) -> list[Path]:
    """Every project's rendered server block, copied into the nginx image by its Dockerfile."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for slug in stack.projects:
        path = directory / f"{slug}.conf"
        path.write_text(nginx_conf(slug, (stack.project_dir(slug) / "nginx.conf").read_text(),
                                   trusted_proxy=stack.settings.trusted_proxy, tls=stack.settings.tls))
        written.append(path)
    return written


def write_config(deploy_dir: Path | None = None, *, settings: DeploySettings,
                 owner: tuple[int, int] | None = None, app_uid: int | None = None) -> dict:
    """Create the secrets once and (re)write every env file; safe to repeat."""
    deploy_dir = deploy_dir or DEPLOY_DIR
    stack = DockerStack(deploy_dir=deploy_dir, settings=settings)
    secrets = stack.secrets
    password, admin_created = secrets.admin_password()
    kept = secrets.directory / "admin-password"
    if not kept.exists():
        # a password chosen with EWTTO_ADMIN_PASSWORD is kept too, so later runs bootstrap with it
        fd = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")
    env_dir = deploy_dir / "env"
    env_dir.mkdir(parents=True, exist_ok=True)
    env_dir.chmod(0o700)
    written = []
    for stem, values in stack.env_files().items():
        path = env_dir / f"{stem}.env"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("".join(f"{k}={_env_value(k, v)}\n" for k, v in sorted(values.items())))
        os.chmod(path, 0o600)
        written.append(path)
    for slug in (s.slug for s in stack.services):
        # every node's accounts, mounted into its container as a compose secret
        path = env_dir / f"{slug}{DB_ACCOUNTS_SUFFIX}"
        _write_private_file(path, stack.db_accounts_sql(slug))
        written.append(path)
        # what the entrypoint read before (an admin password): no longer given to anything
        (env_dir / f"{slug}-db.env").unlink(missing_ok=True)
        # the schema owner's account, for deploy/docker/up's one-off migrate container only:
        # the serving containers' env files hold the DML-only app account
        migrator = stack.pair_spec(slug).migrator
        path = env_dir / f"{slug}{MIGRATE_ENV_SUFFIX}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(f"EWTTO_DB_USER={_env_value('EWTTO_DB_USER', migrator.user)}\n"
                     f"EWTTO_DB_PASSWORD={_env_value('EWTTO_DB_PASSWORD', migrator.password)}\n")
        os.chmod(path, 0o600)
        written.append(path)
    nginx_dir = deploy_dir / "nginx" / "rendered"
    nginx_files = write_nginx_configs(stack, nginx_dir)
    if owner is not None:
        # the deploying user runs docker compose, which reads these files
        for path in [secrets.directory, *secrets.directory.iterdir(), env_dir, *written, nginx_dir, *nginx_files]:
            os.chown(path, *owner)
    if app_uid is not None:
        # compose mounts the key files as they are: the containers' user must own them
        os.chown(secrets.jwt_private, app_uid, app_uid)
        os.chown(secrets.jwt_public, app_uid, app_uid)
        os.chmod(secrets.jwt_private, 0o400)
        os.chmod(secrets.jwt_public, 0o444)
    return {"env_files": [str(p.relative_to(deploy_dir)) for p in written],
            "admin_password_created": admin_created}


def _write_private_file(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def _env_value(key: str, value: str) -> str:
    """A value as compose's env-file parser reads it back unchanged."""
    if SAFE_VALUE.fullmatch(value):
        return value
    # compose expands $ and strips comments and quotes in bare values; single quotes keep all literal
    if "'" in value or "\n" in value or "\r" in value:
        raise ValueError(f"{key}: this value cannot be written to a compose env file: {value!r}")
    return f"'{value}'"
