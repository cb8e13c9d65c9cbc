"""bin/loadtest: the original Apache Bench experiment and longer wrk runs against a running stack.

Every figure is the median of several runs; the table is printed and written to
docs/performance.md with the machine it was measured on. Traffic goes only to
127.0.0.1 and every run is bounded in time. Each run's figures are also kept
per catalogue size in var/run/loadtest-history.json, so a run at 1,000,000
products is compared with one at 10,000.
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
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import supervisor
from .environment import stack_from_env
from .stack import REPO, Stack
from .stackload import StackSampler
from .workload import Workload, prepare_workload

LUA = REPO / "deploy" / "loadtest"
PRODUCTS = "/api/inventory/products/?page_size=50"


@dataclass
class Scenario:
    key: str
    name: str
    url: str
    concurrency: int
    method: str = "GET"
    bodies: list[dict] | None = None  # POST: sent in turn


@dataclass
class Figures:
    runs: list[dict] = field(default_factory=list)

    def median(self, key: str) -> float:
        return statistics.median(r[key] for r in self.runs) if self.runs else 0.0

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
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(wrk_script(scenario))
    # one wrk thread per ten connections, at most two: wrk shares the two cores with the stack
    threads = max(1, min(2, scenario.concurrency // 10))
    cmd = ["wrk", "-t", str(threads), "-c", str(scenario.concurrency), "-d", f"{seconds}s", "--timeout", "10s",
           "-s", fh.name, "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/json",
           scenario.url]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(fh.name)
    line = next(l for l in reversed(out.splitlines()) if l.startswith("{"))
    data = json.loads(line)
    data["rps"] = data["requests"] / data["seconds"] if data["seconds"] else 0.0
    data["errors"] = data["non2xx"] + data["socket_errors"]
    return data


def wrk_script(scenario: Scenario) -> str:
    """The Lua wrk runs for a scenario: the report of its figures, and for a POST the bodies in turn."""
    script = (LUA / "report.lua").read_text()
    if scenario.method == "POST":
        script = (LUA / "sale.lua").read_text() + "\n" + script
    return script + _body_lua(scenario)


def _body_lua(scenario: Scenario) -> str:
    if not scenario.bodies:
        return ""
    bodies = ", ".join(f"[[{json.dumps(body)}]]" for body in scenario.bodies)
    # a fresh tag per run: keys of an earlier run would be answered as replays, not new sales
    run_tag = uuid.uuid4().hex[:16]
    return f'\nwrk.method = "{scenario.method}"\nrun_tag = "{run_tag}"\nbodies = {{ {bodies} }}\n'


def scenarios(stack: Stack, work: Workload) -> list[Scenario]:
    gw, inv = stack.url(), stack.url("inventario")
    day = f"&date={work.report_date}" if work.report_date else ""
    report = f"/api/sales/reports/daily/?branch={work.branch}{day}"
    # the middle of the catalogue: a keyset page costs the same at any depth
    middle = _cursor(work.products_in_catalogue // 2)
    search = gw + "/api/inventory/products/?page_size=50&search=" + work.search_term.replace(" ", "%20")
    return [
        Scenario("list", "product list, gateway, c10", gw + PRODUCTS, 10),
        Scenario("list-direct", "product list, direct to inventory nginx, c10", inv + PRODUCTS, 10),
        Scenario("list-c50", "product list, gateway, c50", gw + PRODUCTS, 50),
        Scenario("list-deep", "product list, mid-catalogue page, gateway, c10", gw + PRODUCTS + f"&cursor={middle}", 10),
        Scenario("search", f"product search \"{work.search_term}\", gateway, c10", search, 10),
        # one client: the latency of a single request, compared across catalogue sizes without queueing in it
        Scenario("list-c1", "product list, gateway, 1 client", gw + PRODUCTS, 1),
        Scenario("search-c1", f"product search \"{work.search_term}\", gateway, 1 client", search, 1),
        Scenario("stock", "stock lookup, gateway, c10",
                 gw + f"/api/inventory/stock/?branch={work.branch}&product={work.products[0]}", 10),
        Scenario("report-c1", "daily report of a branch, gateway, 1 client", gw + report, 1),
        Scenario("report", "daily report of a branch, gateway, c10", gw + report, 10),
        Scenario("report-all-c1", "daily report of every branch, gateway, 1 client",
                 gw + f"/api/sales/reports/daily/?{day.lstrip('&')}", 1),
        Scenario("sales-list", "sales list (page of 50), gateway, c10", gw + "/api/sales/?page_size=50", 10),
        Scenario("sale", f"sale creation (3 lines), {len(work.sale_branches)} branches in turn, gateway, c10",
                 gw + "/api/sales/", 10, "POST", work.sale_bodies()),
        Scenario("sale-one-branch", "sale creation (3 lines), one branch, gateway, c10", gw + "/api/sales/", 10,
                 "POST", work.sale_bodies()[:1]),
        Scenario("sale-c50", f"sale creation (3 lines), {len(work.sale_branches)} branches in turn, gateway, c50",
                 gw + "/api/sales/", 50, "POST", work.sale_bodies()),
    ]


def _cursor(anchor: int) -> str:
    import base64

    return base64.urlsafe_b64encode(f"a{max(anchor, 0)}".encode()).decode().rstrip("=")


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = int(next(l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")))
    return f"{os.cpu_count()} cores ({cpu}), {mem // 1024 // 1024} GiB RAM, {platform.platform()}"


def history_path(stack: Stack) -> Path:
    return stack.run_dir / "loadtest-history.json"


def remember(stack: Stack, result: dict) -> dict:
    """Keep this run's medians under its catalogue size; the history of every size measured."""
    path = history_path(stack)
    history = json.loads(path.read_text()) if path.exists() else {}
    size = str(result["scale"].get("catalogue_size", 0))
    entry = history.setdefault(size, {})
    for scenario, figures, _ in result["results"]:
        entry[scenario.key] = {"p50_ms": figures.median("p50_ms"), "rps": figures.median("rps"),
                               "measured_at": result["finished"]}
    path.write_text(json.dumps(history, indent=1) + "\n")
    return history


# measured run for run in turn: their ratio (the gateway's cost) then compares runs under the same load
PAIRED = ("list", "list-direct")
# measured on the reference stack (a small catalogue) too, each run right after the same run here
BY_CATALOGUE_SIZE = frozenset({"list", "search", "list-c1", "search-c1"})


def interleaved(selected: list[Scenario]) -> list[list[Scenario]]:
    """The scenarios in groups measured together: the paired ones in one group, every other alone."""
    paired = [s for s in selected if s.key in PAIRED]
    groups: list[list[Scenario]] = []
    for scenario in selected:
        if scenario.key not in PAIRED:
            groups.append([scenario])
        elif scenario is paired[0]:
            groups.append(paired)
    return groups


@dataclass
class Reference:
    """A second stack seeded with a small catalogue, measured in turn with this one (same code, same moment)."""
    stack: Stack
    work: Workload
    runs: dict[str, Figures] = field(default_factory=dict)

    def measure(self, key: str, seconds: int) -> None:
        scenario = next(s for s in scenarios(self.stack, self.work) if s.key == key)
        self.runs.setdefault(key, Figures()).runs.append(run_wrk(scenario, self.work.token, seconds))

    def keep(self, into: Stack, finished: str) -> None:
        """Its figures in `into`'s history, under its own catalogue size: seeding only adds data, so the
        small catalogue a large stack is compared with lives on this second stack."""
        ran = {s.key: s for s in scenarios(self.stack, self.work)}
        remember(into, {"scale": self.work.scale, "finished": finished,
                        "results": [(ran[key], figures, []) for key, figures in self.runs.items()]})


def run(stack: Stack, *, seconds: int, repeats: int, only: list[str] | None = None,
        reference: Stack | None = None) -> dict:
    if not supervisor.running(stack) or (reference and not supervisor.running(reference)):
        raise SystemExit("no stack is running: start it with bin/up")
    work = prepare_workload(stack)
    other = Reference(reference, prepare_workload(reference)) if reference else None
    sampler = StackSampler(stack)
    settled = sampler.wait_idle()
    print(f"  stack idle after {settled} s (replicas caught up, background work done)", flush=True)
    idle = sampler.snapshot()
    load_before = os.getloadavg()
    ab = Figures()
    if not only or "ab" in only:
        ab = Figures([run_ab(stack.url() + PRODUCTS, work.token) for _ in range(repeats)])
    selected = [s for s in scenarios(stack, work) if not only or s.key in only]
    results = []
    for group in interleaved(selected):
        runs = {scenario.key: (Figures(), []) for scenario in group}
        for _ in range(repeats):
            for scenario in group:
                with sampler.measure() as sample:
                    runs[scenario.key][0].runs.append(run_wrk(scenario, work.token, seconds))
                runs[scenario.key][1].append(sample)
                if other and scenario.key in BY_CATALOGUE_SIZE:
                    other.measure(scenario.key, seconds)
        for scenario in group:
            figures, usage = runs[scenario.key]
            results.append((scenario, figures, usage))
            print(f"  {scenario.name}: {figures.median('rps'):.0f} req/s, p50 {figures.median('p50_ms'):.1f} ms, "
                  f"p99 {figures.median('p99_ms'):.1f} ms, errors {figures.total('errors')}", flush=True)
            if other and scenario.key in other.runs:
                print(f"    reference stack ({other.work.scale.get('catalogue_size', 0):,} products): p50 "
                      f"{other.runs[scenario.key].median('p50_ms'):.1f} ms", flush=True)
        sampler.wait_idle(timeout=60)  # the next scenario starts on a quiet stack (replicas caught up)
    result = {"machine": machine(), "idle": idle, "ab": ab, "results": results, "seconds": seconds,
              "repeats": repeats, "scale": work.scale, "search_term": work.search_term,
              "load": {"before": load_before, "after": os.getloadavg()},
              "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    if other:
        other.keep(stack, result["finished"])
    result["history"] = remember(stack, result)
    return result


def reference_stack(spec: str) -> Stack:
    var, _, port = spec.rpartition(":")
    if not var or not port.isdigit():
        raise SystemExit(f"--reference wants VAR:PORT (a var directory and its gateway port), not {spec!r}")
    # the load test reaches a stack through its nginx ports and its var directory, never its databases
    return Stack(var=Path(var).resolve(), port=int(port))


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .perfreport import render, write

    parser = argparse.ArgumentParser(prog="bin/loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("EWTTO_LOADTEST_SECONDS", 10)))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", help="comma-separated scenario keys (ab, list, list-direct, search, sale, …)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    parser.add_argument("--reference", metavar="VAR:PORT",
                        help="a second running stack seeded small (its var directory and gateway port), measured "
                             "in turn with this one for the catalogue-size comparison")
    args = parser.parse_args(argv)
    only = [k.strip() for k in args.only.split(",")] if args.only else None
    result = run(stack_from_env(), seconds=args.seconds, repeats=args.repeats, only=only,
                 reference=reference_stack(args.reference) if args.reference else None)
    print(render(result) if args.no_write or only else write(result))
    if only and not args.no_write:
        print("(a partial run: docs/performance.md left alone; its figures are kept in "
              f"{history_path(stack_from_env())})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
