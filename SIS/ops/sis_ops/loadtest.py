"""bin/loadtest: the original Apache Bench experiment and longer wrk runs against a running stack.

Every figure is the median of several runs; the table is printed and written to
docs/performance.md with the machine it was measured on. Traffic goes only to
127.0.0.1 and every run is bounded in time.
"""
from __future__ import annotations

import json
import os
import platform
import re
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import supervisor
from .stack import REPO, Stack
from .stackload import StackSampler
from .workload import Workload, prepare_workload

LUA = REPO / "deploy" / "loadtest"


@dataclass
class Scenario:
    name: str
    url: str
    concurrency: int
    method: str = "GET"
    body: dict | None = None
    target: str = ""


@dataclass
class Figures:
    runs: list[dict] = field(default_factory=list)

    def median(self, key: str) -> float:
        return statistics.median(r[key] for r in self.runs)

    def total(self, key: str) -> int:
        return sum(int(r[key]) for r in self.runs)


def run_ab(url: str, token: str, *, requests: int = 100, concurrency: int = 10) -> dict:
    out = subprocess.run(["ab", "-q", "-n", str(requests), "-c", str(concurrency), "-s", "10",
                          "-H", f"Authorization: Bearer {token}", url],
                         capture_output=True, text=True, timeout=120).stdout
    pct = dict(re.findall(r"^\s+(\d+)%\s+(\d+)", out, re.M))
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", out)
    return {
        "rps": float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1)),
        "errors": int(re.search(r"Failed requests:\s+(\d+)", out).group(1)) + (int(non2xx.group(1)) if non2xx else 0),
        "p50_ms": float(pct.get("50", 0)), "p95_ms": float(pct.get("95", 0)), "p99_ms": float(pct.get("99", 0)),
    }


def run_wrk(scenario: Scenario, token: str, seconds: int) -> dict:
    script = (LUA / "report.lua").read_text()
    if scenario.method == "POST":
        script = (LUA / "sale.lua").read_text() + "\n" + script
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script + _body_lua(scenario))
    cmd = ["wrk", "-t", "2", "-c", str(scenario.concurrency), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", fh.name, "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json",
           scenario.url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    os.unlink(fh.name)
    line = next(l for l in reversed(out.splitlines()) if l.startswith("{"))
    data = json.loads(line)
    data["rps"] = data["requests"] / data["seconds"] if data["seconds"] else 0.0
    data["errors"] = data["non2xx"] + data["socket_errors"]
    return data


def _body_lua(scenario: Scenario) -> str:
    if scenario.body is None:
        return ""
    return f'\nwrk.method = "{scenario.method}"\nwrk.body = [[{json.dumps(scenario.body)}]]\n'


def scenarios(stack: Stack, work: Workload) -> list[Scenario]:
    gw, inv = stack.url(), stack.url("inventario")
    products = "/api/inventory/products/?page_size=50"
    return [
        Scenario("product list, gateway, c10", gw + products, 10, target="≥ 600 req/s, p99 ≤ 50 ms"),
        Scenario("product list, direct to inventory nginx, c10", inv + products, 10, target="(baseline for the ratio)"),
        Scenario("product list, gateway, c50", gw + products, 50),
        Scenario("product search, gateway, c10", gw + f"/api/inventory/products/?search={work.search_term}", 10),
        Scenario("stock lookup, gateway, c10", gw + f"/api/inventory/stock/?branch={work.branch}&product={work.products[0]}", 10),
        Scenario("daily report, gateway, c10", gw + f"/api/sales/reports/daily/?branch={work.branch}", 10, target="≤ 300 ms"),
        Scenario("sale creation (3 lines), gateway, c10", gw + "/api/sales/", 10, "POST", work.sale_body(),
                 target="≥ 150 sales/s"),
        Scenario("sale creation (3 lines), gateway, c50", gw + "/api/sales/", 50, "POST", work.sale_body()),
    ]


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = int(next(l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")))
    return f"{os.cpu_count()} cores ({cpu}), {mem // 1024 // 1024} GiB RAM, {platform.platform()}"


def run(stack: Stack, *, seconds: int, repeats: int) -> dict:
    if not supervisor.running(stack):
        raise SystemExit("no stack is running: start it with bin/up")
    work = prepare_workload(stack)
    sampler = StackSampler(stack)
    idle = sampler.snapshot()
    ab = Figures([run_ab(stack.url() + "/api/inventory/products/?page_size=50", work.token) for _ in range(repeats)])
    results = []
    for scenario in scenarios(stack, work):
        figures, usage = Figures(), []
        for _ in range(repeats):
            with sampler.measure() as sample:
                figures.runs.append(run_wrk(scenario, work.token, seconds))
            usage.append(sample)
        results.append((scenario, figures, usage))
        time.sleep(1)
    return {"machine": machine(), "idle": idle, "ab": ab, "results": results, "seconds": seconds,
            "repeats": repeats, "scale": work.scale}


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .perfreport import write

    parser = argparse.ArgumentParser(prog="bin/loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("EWTTO_LOADTEST_SECONDS", 10)))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args(argv)
    result = run(Stack.from_env(), seconds=args.seconds, repeats=args.repeats)
    if args.no_write:
        from .perfreport import render

        print(render(result))
    else:
        print(write(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
