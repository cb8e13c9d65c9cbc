"""Config files of the local stack, rendered from the templates the Docker stack uses too."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from sis_common.mariadb.server import LocalNode

from . import edgeroutes
from .stack import REPO, VENV, Stack, ops_daemons

PLACEHOLDER = re.compile(r"\$\{([A-Z_]+)\}")


def fill(template: str, values: dict[str, str]) -> str:
    """Replace ${NAME} for the names given; nginx's own $variables are left alone."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def write_env_files(stack: Stack) -> None:
    stack.env_dir.mkdir(parents=True, exist_ok=True)
    stack.env_dir.chmod(0o700)
    for slug in stack.projects:
        lines = [f"{k}={v}" for k, v in sorted(stack.env_for(slug).items())]
        path = stack.env_dir / f"{slug}.env"
        path.write_text("\n".join(lines) + "\n")
        path.chmod(0o600)


def write_nginx(stack: Stack, slug: str) -> Path:
    run = stack.run_dir / "nginx" / slug
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / sub).mkdir(parents=True, exist_ok=True)
    log = stack.log_dir / f"nginx-{slug}"
    log.mkdir(parents=True, exist_ok=True)
    # the edge's cached decisions of a previous start may be for keys no longer trusted: they go, but
    # the folders stay, as a running nginx (a second bin/up) writes into them and makes none itself
    cache = run / "edge-auth"
    for cached in cache.rglob("*"):
        if cached.is_file():
            cached.unlink(missing_ok=True)
    server_conf = run / "server.conf"
    server_conf.write_text(fill((stack.project_dir(slug) / "nginx.conf").read_text(), {
        "LISTEN": f"127.0.0.1:{stack.nginx_port(slug)}",
        "APP_ADDR": f"127.0.0.1:{stack.app_port(slug)}",
        "STATIC_ROOT": str(stack.var / "static" / slug),
        "SERVICE": slug,
        "TRUSTED_PROXY": stack.trusted_proxy,
        "PUBLIC_SCHEME": "$scheme",  # the local stack has no TLS proxy in front
        "CACHE_DIR": str(cache),
        "EDGE_UPSTREAMS": edgeroutes.upstream_blocks(stack.services, lambda s: f"127.0.0.1:{stack.nginx_port(s)}"),
        "EDGE_ROUTES": edgeroutes.route_blocks(stack.services),
    }))
    main = run / "nginx.conf"
    main.write_text(fill((REPO / "deploy" / "nginx" / "main.conf").read_text(), {
        "RUN_DIR": str(run), "LOG_DIR": str(log), "SERVER_CONF": str(server_conf),
    }))
    return main


def _program(name: str, command: list[str], *, directory: Path | None = None, env: dict | None = None,
             priority: int = 50, stopwait: int = 20) -> str:
    lines = [
        f"[program:{name}]",
        f"command={' '.join(shlex.quote(c) for c in command)}",
        "autostart=true", "autorestart=true", "startsecs=1", "startretries=1000",
        f"priority={priority}", "stopasgroup=true", "killasgroup=true", f"stopwaitsecs={stopwait}",
        "redirect_stderr=true", f"stdout_logfile=%(here)s/../log/{name}.log",
        "stdout_logfile_maxbytes=10MB", "stdout_logfile_backups=3",
    ]
    if directory:
        lines.append(f"directory={directory}")
    if env:
        lines.append("environment=" + ",".join(f'{k}="{v}"' for k, v in env.items()))
    return "\n".join(lines) + "\n"


def _project_env(stack: Stack, slug: str) -> dict:
    return {"EWTTO_ENV_FILE": str(stack.env_dir / f"{slug}.env"),
            "DJANGO_SETTINGS_MODULE": "config.settings.local", "PYTHONUNBUFFERED": "1"}


def programs(stack: Stack) -> list[str]:
    python = str(VENV / "bin" / "python")
    out = []
    for spec in stack.services:
        for node in stack.local_nodes(spec.slug):
            out.append(_program(f"db-{node.name}", node.argv(), priority=10, stopwait=60))
    for slug in stack.projects:
        directory, env = stack.project_dir(slug), _project_env(stack, slug)
        out.append(_program(f"app-{slug}", [str(VENV / "bin" / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
                            directory=directory, env=env, priority=20))
        out.append(_program(f"nginx-{slug}", ["/usr/sbin/nginx", "-c", str(write_nginx(stack, slug)),
                                              "-g", "daemon off;"], priority=30))
    for spec in stack.services:
        for name, command in spec.daemons.items():
            out.append(_program(f"{name}-{spec.slug}", [python, *shlex.split(command)],
                                directory=spec.directory, env=_project_env(stack, spec.slug), priority=40))
    for name, command in ops_daemons().items():
        out.append(_program(name, [python, *shlex.split(command)], directory=REPO, priority=40))
    return out


def write_supervisor(stack: Stack, extra: list[str] = ()) -> Path:
    stack.run_dir.mkdir(parents=True, exist_ok=True)
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    conf = stack.run_dir / "supervisord.conf"
    head = f"""[unix_http_server]
file={stack.run_dir}/supervisor.sock
chmod=0700

[supervisord]
logfile={stack.log_dir}/supervisord.log
pidfile={stack.run_dir}/supervisord.pid
childlogdir={stack.log_dir}
minfds=4096
environment=EWTTO_VAR="{stack.var}",EWTTO_PORT="{stack.port}",EWTTO_DB_PORT_BASE="{stack.db_port_base}"

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{stack.run_dir}/supervisor.sock

"""
    conf.write_text(head + "\n".join([*programs(stack), *extra]))
    return conf
