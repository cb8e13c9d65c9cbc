"""The local stack as data: services, ports, nodes, secrets and each project's environment.

bin/up, bin/status and the system tests build a Stack; tests give it a scratch
directory and free ports, so they run exactly what bin/up runs, elsewhere.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from sis_common import internal_callers, watchdog_files
from sis_common.mariadb.nodes import Credentials
from sis_common.mariadb.replication import PairSpec
from sis_common.mariadb.server import LocalNode

from .secrets import Secrets

REPO = Path(__file__).resolve().parents[3]
STACK_TOML = REPO / "deploy" / "stack.toml"
VENV = Path(os.environ.get("EWTTO_VENV", REPO / ".venv"))


@dataclass(frozen=True)
class ServiceSpec:
    slug: str
    project: str
    api: str
    database: str
    nginx_offset: int
    db_offsets: tuple[int, int]
    daemons: dict
    # what the gateway lets through without a token (path under the API -> flood limit) and how
    # long it waits for an answer (None: the gateway's read_timeout); sis_ops.edgeroutes
    open_paths: dict = field(default_factory=dict)
    read_timeout: int | None = None
    # file uploads the gateway admits above its 1 MiB body limit: path under the API -> nginx size ("21m")
    upload_paths: dict = field(default_factory=dict)

    @property
    def directory(self) -> Path:
        return REPO / "SIS" / self.project


def load_services() -> list[ServiceSpec]:
    data = tomllib.loads(STACK_TOML.read_text())
    return [
        ServiceSpec(slug, s["project"], s["api"], s["database"], s["nginx_offset"],
                    tuple(s["db_offsets"]), s.get("daemons", {}), s.get("open_paths", {}), s.get("read_timeout"),
                    s.get("upload_paths", {}))
        for slug, s in data["services"].items()
    ]


def gateway_spec() -> dict:
    return tomllib.loads(STACK_TOML.read_text())["gateway"]


def ops_daemons() -> dict:
    """Stack-wide daemons (the watchdog), run from the repository root."""
    return tomllib.loads(STACK_TOML.read_text()).get("ops", {}).get("daemons", {})


@dataclass
class Stack:
    var: Path
    port: int = 8000
    db_port_base: int = 3300
    # the operator's proxy in front of the gateway nginx (address or CIDR), whose X-Forwarded-For
    # nginx believes; "unix:" trusts nobody (clients reach the gateway over TCP only)
    trusted_proxy: str = "unix:"

    @classmethod
    def from_env(cls) -> "Stack":
        """The local stack the environment names; environment.stack_from_env also knows the Docker one."""
        return cls(
            var=Path(os.environ.get("EWTTO_VAR", REPO / "var")).resolve(),
            port=int(os.environ.get("EWTTO_PORT", 8000)),
            db_port_base=int(os.environ.get("EWTTO_DB_PORT_BASE", 3300)),
            trusted_proxy=os.environ.get("EWTTO_TRUSTED_PROXY") or "unix:",
        )

    @cached_property
    def services(self) -> list[ServiceSpec]:
        return load_services()

    def service(self, slug: str) -> ServiceSpec:
        for spec in self.services:
            if spec.slug == slug:
                return spec
        raise KeyError(f"unknown service {slug!r}; known: {', '.join(s.slug for s in self.services)}")

    # where things live
    @property
    def run_dir(self) -> Path:
        return self.var / "run"

    @property
    def log_dir(self) -> Path:
        return self.var / "log"

    @property
    def env_dir(self) -> Path:
        return self.var / "env"

    @cached_property
    def secrets(self) -> Secrets:
        return Secrets.load_or_create(self.var / "secrets", [s.slug for s in self.services])

    # ports
    def nginx_port(self, slug: str) -> int:
        return self.port + (0 if slug == "gateway" else self.service(slug).nginx_offset)

    def app_port(self, slug: str) -> int:
        return self.nginx_port(slug) + gateway_spec()["app_offset"]

    def url(self, slug: str = "gateway") -> str:
        return f"http://127.0.0.1:{self.nginx_port(slug)}"

    # databases
    def local_nodes(self, slug: str) -> tuple[LocalNode, LocalNode]:
        spec = self.service(slug)
        return tuple(
            LocalNode(f"{slug}-{i + 1}", self.db_port_base + off, off, self.var / "data" / f"{slug}-{i + 1}")
            for i, off in enumerate(spec.db_offsets)
        )

    def pair_spec(self, slug: str) -> PairSpec:
        spec = self.service(slug)
        local = self.local_nodes(slug)
        nodes = tuple(n.node for n in local)
        return PairSpec(
            service=slug, database=spec.database, nodes=nodes,
            admin=Credentials("ewtto_admin", self.secrets.value(f"db_admin_{slug}")),
            # named per pair too: a replica still logged in as the old shared account is seen and re-pointed
            replication=Credentials(f"ewtto_repl_{slug}", self.secrets.value(f"db_repl_{slug}")),
            app=Credentials(f"{slug}_app", self.secrets.value(f"db_app_{slug}")),
            migrator=Credentials(f"{slug}_migrate", self.secrets.value(f"db_migrate_{slug}")),
            reader=Credentials("ewtto_backup", self.secrets.value(f"db_backup_{slug}")),
            sockets={n.node: n.socket for n in local},
        )

    # environment of each project's processes
    def env_for(self, slug: str) -> dict[str, str]:
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_SECRET_KEY": self.secrets.value(f"django_{slug}"),
            "EWTTO_SERVICE": slug,
            "EWTTO_GUNICORN_BIND": f"127.0.0.1:{self.app_port(slug)}",
            "EWTTO_STATIC_ROOT": str(self.var / "static" / slug),
            "EWTTO_JWT_PUBLIC_KEY_FILE": str(self.secrets.jwt_public),
            # its own secret if it calls others, the digests of those it answers (sis_common.internal_callers)
            **internal_callers.service_env(slug, self.secrets.value),
            **{f"EWTTO_{s.slug.upper()}_URL": self.url(s.slug) for s in self.services},
        }
        if slug == "gateway":
            env["EWTTO_UPSTREAMS"] = ",".join(f"{s.slug}={self.url(s.slug)}" for s in self.services)
            # public API prefix -> service, for the gateway's health and combined docs
            env["EWTTO_EDGE_APIS"] = ",".join(f"{s.api}={s.slug}" for s in self.services)
            env["EWTTO_WATCHDOG_STATE"] = str(watchdog_files.state_path(self.var))
            return env
        pair = self.pair_spec(slug)
        env.update({
            "EWTTO_DB_NODES": ",".join(str(n) for n in pair.nodes),
            "EWTTO_DB_NAME": pair.database,
            "EWTTO_DB_USER": pair.app.user,
            "EWTTO_DB_PASSWORD": pair.app.password,
        })
        if slug == "auth":
            env["EWTTO_JWT_PRIVATE_KEY_FILE"] = str(self.secrets.jwt_private)
        return env

    def project_dir(self, slug: str) -> Path:
        return REPO / "SIS" / (gateway_spec()["project"] if slug == "gateway" else self.service(slug).project)

    @property
    def projects(self) -> list[str]:
        return [s.slug for s in self.services] + ["gateway"]
