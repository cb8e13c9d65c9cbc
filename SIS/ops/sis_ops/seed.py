"""bin/seed-data: realistic data at a chosen scale in a running stack, through each service's own seed command.

Branches (sucursales), their staff (auth), the catalogue and its stock
(inventario), then completed sales (ventas) whose stock moves inventario
applies and ventas links back: every service writes only its own database,
with its own models and rules. Every step tops up to the asked scale, so a
second run with bigger numbers adds only the difference. The scale reached
is written to var/run/seed.json, which bin/loadtest reads.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import subprocess
import time
from pathlib import Path

from . import supervisor
from .environment import stack_from_env
from .stack import VENV, Stack


def say(message: str) -> None:
    print(f"[seed] {message}", flush=True)


def manage(stack: Stack, slug: str, *args: str) -> None:
    """A project's manage.py with the stack's environment for it; its progress goes straight to the terminal."""
    env = {**os.environ, **stack.env_for(slug), "PYTHONUNBUFFERED": "1"}
    subprocess.run([str(VENV / "bin" / "python"), "manage.py", *args], cwd=stack.project_dir(slug), env=env,
                   check=True)


def seed_password(stack: Stack) -> Path:
    path = stack.secrets.directory / "seed-users-password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(12) + "\n")
    return path


def run(stack: Stack, args: argparse.Namespace) -> dict:
    if not supervisor.running(stack):
        raise SystemExit("no stack is running: start it with bin/up")
    work = stack.run_dir / "seed"
    work.mkdir(parents=True, exist_ok=True)
    files = {name: str(work / name) for name in
             ("branches.json", "users.json", "catalogue.json", "stock.tsv", "moves.tsv", "documents.tsv")}
    day = args.date or dt.datetime.now(dt.timezone.utc).date().isoformat()
    started = time.monotonic()
    say(f"branches ({args.branches})")
    manage(stack, "sucursales", "seed_branches", "--count", str(args.branches), "--out", files["branches.json"])
    say(f"staff ({args.cashiers_per_branch} cashiers per branch)")
    manage(stack, "auth", "seed_users", "--branches", files["branches.json"], "--cashiers-per-branch",
           str(args.cashiers_per_branch), "--password-file", str(seed_password(stack)), "--out", files["users.json"])
    say(f"catalogue ({args.products:,} products)")
    manage(stack, "inventario", "seed_catalogue", "--products", str(args.products), "--out", files["catalogue.json"])
    catalogue = json.loads(Path(files["catalogue.json"]).read_text())
    per_branch = min(args.stock_per_branch, args.products)
    say(f"stock ({per_branch:,} products at each branch)")
    manage(stack, "inventario", "seed_stock", "--branches", files["branches.json"], "--per-branch", str(per_branch),
           "--out", files["stock.tsv"])
    say(f"sales ({args.sale_lines:,} lines on {day})")
    manage(stack, "ventas", "seed_sales", "--stock", files["stock.tsv"], "--branches", files["branches.json"],
           "--users", files["users.json"], "--lines", str(args.sale_lines), "--date", day, "--moves", files["moves.tsv"])
    # each row: sale, branch, user, time, then one product:quantity field per line
    lines = sum(len(row.split("\t")) - 4 for row in open(files["moves.tsv"]) if row.strip())
    say("their stock moves")
    manage(stack, "inventario", "seed_sale_moves", "--moves", files["moves.tsv"], "--lines", str(lines),
           "--out", files["documents.tsv"])
    sales = sum(1 for _ in open(files["documents.tsv"]))
    manage(stack, "ventas", "seed_sales", "--link", files["documents.tsv"], "--lines", str(sales))
    branches = json.loads(Path(files["branches.json"]).read_text())
    scale = {
        "branches": len(branches), "users": len(json.loads(Path(files["users.json"]).read_text())),
        "products": catalogue["products"], "search_term": catalogue["search_term"], "stock_per_branch": per_branch, "stock_rows": per_branch * len(branches),
        "sale_lines": args.sale_lines, "date": day, "branch_ids": [b["id"] for b in branches],
        "seeded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    (stack.run_dir / "seed.json").write_text(json.dumps(scale, indent=1) + "\n")
    say(f"done in {time.monotonic() - started:.0f} s; scale written to {stack.run_dir / 'seed.json'}")
    return scale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bin/seed-data", description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=10)
    parser.add_argument("--cashiers-per-branch", type=int, default=3)
    parser.add_argument("--products", type=int, default=1_000_000, help="seeded products wanted in all")
    parser.add_argument("--stock-per-branch", type=int, default=20_000,
                        help="each branch stocks the first N seeded products")
    parser.add_argument("--sale-lines", type=int, default=1_000_000, help="seeded sale lines wanted on --date")
    parser.add_argument("--date", help="business date of the seeded sales (default today)")
    args = parser.parse_args(argv)
    print(json.dumps(run(stack_from_env(), args), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
