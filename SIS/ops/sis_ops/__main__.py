"""Command line of the ops tooling: python -m sis_ops <command> (bin/ wraps each one)."""
from __future__ import annotations

import argparse
import os
import json
import sys

from sis_common.watchdog_files import EventLog, control_dir, event_log_path

from . import failover, rejoin, status, up, watchdog_daemon
from . import backup_cli
from .environment import stack_from_env
from .stack import Stack
from .supervised_nodes import SupervisedNodes


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
        print(json.dumps(up.setup_pair_locked(stack, slug)))
    return 0


def cmd_docker_config(stack: Stack, args) -> int:
    """Secrets and env files of deploy/docker (run by deploy/docker/up in a one-off container)."""
    from . import docker

    owner = tuple(int(part) for part in args.owner.split(":")) if args.owner else None
    result = docker.write_config(settings=docker.DeploySettings.from_env(), owner=owner, app_uid=args.app_uid)
    print(json.dumps(result))
    return 0


def cmd_watchdog(stack: Stack, args) -> int:
    return watchdog_daemon.run(stack)


def _one_service(stack: Stack, args, command: str) -> str:
    if len(args.services) != 1:
        raise SystemExit(f"usage: bin/{command} <service>   (one of: {', '.join(s.slug for s in stack.services)})")
    return stack.service(args.services[0]).slug


def _cli_events(stack: Stack) -> EventLog:
    return EventLog(event_log_path(stack.var), actor="operator", echo=False)


def cmd_failover(stack: Stack, args) -> int:
    slug = _one_service(stack, args, "failover")
    events, control = _cli_events(stack), control_dir(stack.var)
    try:
        if args.ack:
            failover.acknowledge(events, control, slug)
            print(f"{slug}: acknowledged; the watchdog may fail this pair over again")
            return 0
        if args.force:
            result = failover.force_promote(stack.pair_spec(slug), events, control)
        else:
            result = failover.switchover(stack.pair_spec(slug), events, control)
    except (failover.SwitchoverRefused, RuntimeError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=1))
    return 0


def cmd_rejoin(stack: Stack, args) -> int:
    slug = _one_service(stack, args, "rejoin")
    events, control, pair = _cli_events(stack), control_dir(stack.var), stack.pair_spec(slug)
    try:
        if args.rebuild:
            result = rejoin.rebuild(pair, events, control, SupervisedNodes(stack))
        elif args.check:
            result = rejoin.inspect(pair)
        else:
            result = rejoin.rejoin(pair, events, control)
    except (rejoin.RejoinRefused, RuntimeError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=1))
    return 0


def summary(stack: Stack, result: dict) -> str:
    lines = [f"E-WTTO is up in {result['seconds']} s", f"  gateway   {stack.url()}  (the only public entry)"]
    for spec in stack.services:
        a, b = stack.local_nodes(spec.slug)
        lines.append(f"  {spec.slug:<11}nginx :{stack.nginx_port(spec.slug)}  gunicorn :{stack.app_port(spec.slug)}"
                     f"  db :{a.port}/:{b.port}  /api/{spec.api}/")
    lines.append(f"  data, logs and secrets: {stack.var}")
    lines += [f"  {line}" for line in result["bootstrap"]]
    lines.append("health: " + json.dumps(result["health"], indent=1))
    return "\n".join(lines)


COMMANDS = {"up": cmd_up, "down": cmd_down, "status": cmd_status, "setup-replication": cmd_setup_replication,
            "docker-config": cmd_docker_config, "watchdog": cmd_watchdog, "failover": cmd_failover,
            "rejoin": cmd_rejoin}


# commands with options of their own parse their arguments themselves
OWN_ARGUMENTS = {"backup": backup_cli.backup_main, "restore": backup_cli.restore_main}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in OWN_ARGUMENTS:
        return OWN_ARGUMENTS[argv[0]](argv[1:])
    parser = argparse.ArgumentParser(prog="sis_ops")
    parser.add_argument("command", choices=sorted(COMMANDS))
    parser.add_argument("services", nargs="*")
    parser.add_argument("--no-demo", dest="demo", action="store_false")
    parser.add_argument("--ack", action="store_true", help="failover: allow the next automatic failover")
    parser.add_argument("--force", action="store_true",
                        help="failover: promote the only reachable node even if writes may be lost")
    parser.add_argument("--rebuild", action="store_true", help="rejoin: re-clone the node from the primary")
    parser.add_argument("--check", action="store_true", help="rejoin: only show what the node holds extra")
    parser.add_argument("--owner", help="docker-config: UID:GID to own the generated files")
    parser.add_argument("--app-uid", type=int, help="docker-config: the images' user, to own the JWT keys")
    args = parser.parse_args(argv)
    return COMMANDS[args.command](stack_from_env(), args)


if __name__ == "__main__":
    sys.exit(main())
