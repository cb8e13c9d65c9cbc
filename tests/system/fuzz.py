"""Schemathesis against every API's published schema, through the gateway of a stack (bin/fuzz, test_schemas.py).

Each API's schema is fetched where clients find it (/api/docs/schema/<api>/)
and fuzzed with the coverage, fuzzing and stateful phases and every check
(schemathesis.toml and fuzz_hooks.py here say what they are told and why),
as an administrator whose token is signed with the stack's own key. A run is
bounded by examples per operation; its seed is printed so a failure can be
run again.

    bin/fuzz --examples 200 [--seed N] [--api sales] [--var DIR --port P]

Without --var it starts a scratch stack with demo data and stops it at the end.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt

from sis_ops.stack import load_services

# every public API of deploy/stack.toml
APIS = tuple(s.api for s in load_services())
PHASES = "coverage,fuzzing,stateful"
# DELETE /api/branches/{id}/ deactivates and keeps the branch (../shared/API.md): still there by contract
EXCLUDED_CHECKS = "use_after_free"
HERE = Path(__file__).resolve().parent
CONFIG = HERE / "schemathesis.toml"
GENERATED = re.compile(r"(\d+) generated")
TOKEN_SECONDS = 6 * 3600


@dataclass
class Run:
    api: str
    seed: int
    examples: int
    returncode: int
    generated: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def report(self) -> str:
        """The summary and failures of the run, for a test's assertion message."""
        start = self.output.find("FAILURES")
        return self.output[start if start >= 0 else max(0, len(self.output) - 4000):][-12000:]


def admin_token(stack) -> str:
    """An administrator's access token shaped like servicio_auth's, signed with the stack's key."""
    now = int(time.time())
    claims = {"token_type": "access", "user_id": 1, "role": "admin", "branches": [], "iat": now,
              "exp": now + TOKEN_SECONDS, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, stack.secrets.jwt_private.read_text(), algorithm="RS256")


def schemathesis_bin() -> str:
    return str(Path(sys.executable).with_name("schemathesis"))


def run_api(stack, api: str, *, examples: int, seed: int, token: str | None = None,
            report_dir: Path | None = None, timeout: float | None = None) -> Run:
    """One API through schemathesis; returncode 0 means every check passed on every generated request."""
    command = [
        schemathesis_bin(), "--config-file", str(CONFIG), "run", f"{stack.url()}/api/docs/schema/{api}/",
        "--url", stack.url(), "-H", f"Authorization: Bearer {token or admin_token(stack)}",
        "--phases", PHASES, "--checks", "all", "--exclude-checks", EXCLUDED_CHECKS,
        "--max-examples", str(examples), "--seed", str(seed), "--request-timeout", "20",
        "--wait-for-schema", "30", "--no-color",
    ]
    if report_dir is not None:
        command += ["--report", "junit", "--report-dir", str(report_dir / api)]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "fuzz_hooks", "PYTHONHASHSEED": str(seed % 2**32),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory(prefix="ewtto-fuzz-") as scratch:  # its cache of crashes stays out of the tree
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, cwd=scratch)
    output = done.stdout + done.stderr
    counts = GENERATED.findall(output)
    return Run(api, seed, examples, done.returncode, int(counts[-1]) if counts else 0, output)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bin/fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=200, help="examples per operation and phase (200)")
    parser.add_argument("--seed", type=int, default=None, help="the seed (default: a random one, printed)")
    parser.add_argument("--api", action="append", choices=APIS, help="only this API (repeatable)")
    parser.add_argument("--var", help="a running stack's EWTTO_VAR (default: a scratch stack)")
    parser.add_argument("--port", type=int, help="that stack's EWTTO_PORT")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    from sis_ops.environment import stack_from_env
    from sis_ops.teststack import start_test_stack, stop_test_stack

    if args.var is not None:
        os.environ["EWTTO_VAR"] = args.var
        if args.port:
            os.environ["EWTTO_PORT"] = str(args.port)
        stack = stack_from_env()
    else:
        print("[fuzz] starting a scratch stack with demo data", flush=True)
        stack = start_test_stack(demo=True)
    failed = []
    try:
        for api in args.api or APIS:
            started = time.monotonic()
            run = run_api(stack, api, examples=args.examples, seed=seed)
            took = time.monotonic() - started
            print(f"[fuzz] {api}: {run.generated} generated requests, {'passed' if run.ok else 'FAILED'} "
                  f"in {took:.0f} s (seed {seed}, {args.examples} examples)", flush=True)
            if not run.ok:
                failed.append(api)
                print(run.report(), flush=True)
    finally:
        if args.var is None:
            stop_test_stack(stack)
    if failed:
        print(f"[fuzz] failed: {', '.join(failed)}; repeat with --seed {seed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
