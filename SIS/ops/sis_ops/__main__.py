"""Command line of the ops tooling: python -m sis_ops <command> (bin/ wraps each one)."""
from __future__ import annotations

import argparse
import os
import json
import sys

from sis_common.mariadb import replication

from . import status, up
from .stack import Stack


def cmd_up(stack: Stack, args) -> int:
    result = up.up(stack, demo=args.demo and os.environ.get("EWTTO_DEMO", "1") != "0")
    print(summary(stack, result))
    return 0 if result["health"].get("status") == "ok" else 1


def cmd_down(stack: Stack, args) -> int:
    up.down(stack)
    print("stack stopped; data kept in", stack.var)
    return 0


def cmd_status(stack: Stack, args) -> int:
    print(status.table(stack))
    return 0


def cmd_setup_replication(stack: Stack, args) -> int:
    services = args.services or [s.slug for s in stack.services]
    for slug in services:
        print(json.dumps(replication.setup_pair(stack.pair_spec(slug))))
    return 0


def cmd_docker_config(stack: Stack, args) -> int:
    """Secrets and env files of deploy/docker (run by deploy/docker/up in a one-off container)."""
    from . import docker

    owner = tuple(int(part) for part in args.owner.split(":")) if args.owner else None
    result = docker.write_config(settings=docker.DeploySettings.from_env(), owner=owner, app_uid=args.app_uid)
    print(json.dumps(result))
    return 0


def summary(stack: Stack, result: dict) -> str:
    lines = [f"E-WTTO is up in {result['seconds']} s", f"  gateway   {stack.url()}  (the only public entry)"]
    for spec in stack.services:
        a, b = stack.local_nodes(spec.slug)
        lines.append(f"  {spec.slug:<10}nginx :{stack.nginx_port(spec.slug)}  gunicorn :{stack.app_port(spec.slug)}"
                     f"  db :{a.port}/:{b.port}  /api/{spec.api}/")
    lines.append(f"  data, logs and secrets: {stack.var}")
    lines += [f"  {line}" for line in result["bootstrap"]]
    lines.append("health: " + json.dumps(result["health"], indent=1))
    return "\n".join(lines)


COMMANDS = {"up": cmd_up, "down": cmd_down, "status": cmd_status, "setup-replication": cmd_setup_replication,
            "docker-config": cmd_docker_config}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sis_ops")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("services", nargs="*")
    parser.add_argument("--no-demo", dest="demo", action="store_false")
    parser.add_argument("--owner", help="docker-config: UID:GID to own the generated files")
    parser.add_argument("--app-uid", type=int, help="docker-config: the images' user, to own the JWT keys")
    args = parser.parse_args(argv)
    return COMMANDS[args.command](Stack.from_env(), args)


if __name__ == "__main__":
    sys.exit(main())
