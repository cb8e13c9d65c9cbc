"""Bringing the whole local stack up (idempotent) and down."""
from __future__ import annotations

import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from sis_common.mariadb import replication, server
from sis_common.mariadb.nodes import Node
from sis_common.watchdog_files import control_dir, read_state, state_path

from . import supervisor
from .pairlock import pair_lock
from .render import write_env_files
from .stack import VENV, Stack
from .status import wait_healthy


def say(message: str) -> None:
    print(f"[up] {message}", flush=True)


def manage(stack: Stack, slug: str, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run a project's manage.py with the stack's environment for it."""
    full_env = {**os.environ, **stack.env_for(slug), **(env or {})}
    return subprocess.run([str(VENV / "bin" / "python"), "manage.py", *args], cwd=stack.project_dir(slug),
                          env=full_env, check=check, capture_output=True, text=True)


def prepare_databases(stack: Stack) -> None:
    nodes = [n for s in stack.services for n in stack.local_nodes(s.slug)]
    created = [n.name for n in nodes if server.initialise(n)]
    for node in nodes:
        (node.base / "tmp").mkdir(exist_ok=True)
    if created:
        say(f"initialised datadirs: {', '.join(created)}")


def configure_databases(stack: Stack) -> list[dict]:
    for spec in stack.services:
        pair = stack.pair_spec(spec.slug)
        for node in stack.local_nodes(spec.slug):
            server.wait_ready(node, timeout=60)
            # root on the socket: no TCP account may create accounts (docs/security.md)
            server.ensure_accounts(node, pair)
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda s: setup_pair_locked(stack, s.slug), stack.services))


def setup_pair_locked(stack: Stack, slug: str) -> dict:
    """setup_pair under the pair's lock (the watchdog may be changing roles) and with its last known primary."""
    known = ((read_state(state_path(stack.var)) or {}).get("pairs", {}).get(slug) or {}).get("primary")
    with pair_lock(control_dir(stack.var), slug, wait=30):
        return replication.setup_pair(stack.pair_spec(slug), preferred=Node.parse(known) if known else None)


def migrate_env(stack: Stack, slug: str) -> dict[str, str]:
    """The schema owner's account, given to the migrate process only: the apps serve with DML alone."""
    migrator = stack.pair_spec(slug).migrator
    return {"EWTTO_DB_USER": migrator.user, "EWTTO_DB_PASSWORD": migrator.password}


def migrate_all(stack: Stack) -> None:
    def one(slug: str) -> None:
        manage(stack, slug, "migrate", "--noinput", env=migrate_env(stack, slug))
        manage(stack, slug, "collectstatic", "--noinput", "--verbosity", "0")

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(one, [s.slug for s in stack.services]))
    manage(stack, "gateway", "collectstatic", "--noinput", "--verbosity", "0")


def bootstrap_data(stack: Stack, *, demo: bool) -> list[str]:
    """Each project's idempotent `ewtto_bootstrap` command: first admin, demo data.

    What they print (credentials created now) is shown once and kept in
    var/secrets/first-start.txt, readable only by the owner.
    """
    password, new = stack.secrets.admin_password()
    env = {"EWTTO_ADMIN_PASSWORD": password, "EWTTO_DEMO": "1" if demo else "0"}
    lines = [f"admin password: {password} (kept in {stack.secrets.directory / 'admin-password'})"] if new else []
    for spec in stack.services:
        probe = manage(stack, spec.slug, "help", "ewtto_bootstrap", check=False)
        if probe.returncode == 0:
            lines += manage(stack, spec.slug, "ewtto_bootstrap", env=env).stdout.splitlines()
    if lines:
        stack.secrets.append_note("first-start.txt", lines)
    return lines


def up(stack: Stack, *, demo: bool = True, wait: float = 120) -> dict:
    started = time.monotonic()
    stack.secrets  # noqa: B018 - generated on first use
    prepare_databases(stack)
    write_env_files(stack)
    was_running = supervisor.running(stack)
    supervisor.start(stack)
    say("supervisor running; configuring replication")
    pairs = configure_databases(stack)
    say("replication ready; migrating")
    migrate_all(stack)
    if was_running:
        # a second bin/up after a code change: gunicorn reloads its workers gracefully, and the
        # watchdog restarts with the code and the passwords just set
        supervisor.reload_apps(stack)
        supervisor.restart_ops_daemons(stack)
    lines = bootstrap_data(stack, demo=demo)
    health = wait_healthy(stack, timeout=wait)
    return {"seconds": round(time.monotonic() - started, 1), "pairs": pairs, "bootstrap": lines, "health": health}


def down(stack: Stack) -> None:
    supervisor.shutdown(stack)
