"""The load test's tables: targets met or not, every scenario, written to docs/performance.md.

The file ends with hand-written notes (what was found and fixed) below a
marker line; a new run rewrites everything above the marker and keeps them.
"""
from __future__ import annotations

import statistics
from pathlib import Path

from .stack import REPO

ORIGINAL = "23 req/s (Laravel, Apache Bench 100 requests, concurrency 10, 0 failures)"
NOTES_MARKER = "<!-- notes below are kept by bin/loadtest -->"
SMALL_CATALOGUE, LARGE_CATALOGUE = 20_000, 900_000
IDLE_LIMIT_MIB = 2048


def _row(name: str, figures, usage: list[dict] | None) -> str:
    cores = max((u.get("cores", 0) for u in usage), default=0) if usage else "-"
    mem = max((u.get("memory_mib", 0) for u in usage), default=0) if usage else "-"
    return (f"| {name} | {figures.median('rps'):.0f} | {figures.median('p50_ms'):.1f} | {figures.median('p95_ms'):.1f} "
            f"| {figures.median('p99_ms'):.1f} | {figures.total('errors')} | {cores} | {mem} |")


def cpu_ms_per_request(figures, usage: list[dict] | None) -> dict[str, float]:
    """Median over the runs of each program's CPU milliseconds per request answered (all programs: "total")."""
    per_run = []
    for run, sample in zip(figures.runs, usage or []):
        spent, requests = sample.get("cpu_by_program"), run.get("requests")
        if spent and requests:
            shares = {name: 1000 * seconds / requests for name, seconds in spent.items()}
            shares["total"] = sum(shares.values())
            per_run.append(shares)
    if not per_run:
        return {}
    names = {name for shares in per_run for name in shares}
    return {name: statistics.median(shares.get(name, 0.0) for shares in per_run) for name in names}


def _verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("met" if ok else "**not met**")


def _scale_ratio(result: dict, key: str) -> tuple[str, bool | None]:
    """p50 now (a large catalogue) against the p50 kept for the smallest catalogue measured."""
    size = int(result["scale"].get("catalogue_size", 0))
    history = result.get("history", {})
    small = sorted(int(s) for s, entry in history.items() if key in entry and int(s) <= SMALL_CATALOGUE)
    now = history.get(str(size), {}).get(key)
    if size < LARGE_CATALOGUE or not small or now is None:
        return (f"needs runs at ≤ {SMALL_CATALOGUE:,} and ≥ {LARGE_CATALOGUE:,} products "
                f"(now {size:,}; history: {', '.join(f'{int(s):,}' for s in history) or 'none'})"), None
    before = history[str(small[0])][key]
    ratio = now["p50_ms"] / before["p50_ms"] if before["p50_ms"] else float("inf")
    return (f"{now['p50_ms']:.1f} ms at {size:,} vs {before['p50_ms']:.1f} ms at {small[0]:,} products: "
            f"{ratio:.2f}×"), ratio <= 1.5


def targets(result: dict) -> list[str]:
    by_key = {s.key: f for s, f, _ in result["results"]}
    usage_by_key = {s.key: u for s, _, u in result["results"]}
    rows = ["| target | measured (median of the runs) | |", "| --- | --- | --- |"]

    def add(target: str, measured: str, ok: bool | None) -> None:
        rows.append(f"| {target} | {measured} | {_verdict(ok)} |")

    rows.append(f"| original system | {ORIGINAL} | |")
    ab = result["ab"]
    if ab.runs:
        add("original experiment (ab -n 100 -c 10, product list via gateway): ≥ 800 req/s, 0 failed",
            f"{ab.median('rps'):.0f} req/s, {ab.total('errors')} failed", ab.median("rps") >= 800 and not ab.total("errors"))
    gw, direct = by_key.get("list"), by_key.get("list-direct")
    if gw:
        add("product list (page of 50) via gateway, c10: ≥ 600 req/s", f"{gw.median('rps'):.0f} req/s",
            gw.median("rps") >= 600)
        add("… p99 ≤ 25 ms", f"{gw.median('p99_ms'):.1f} ms", gw.median("p99_ms") <= 25)
        add("… 0 errors", f"{gw.total('errors')}", gw.total("errors") == 0)
    if gw and direct and direct.median("rps"):
        ratio = gw.median("rps") / direct.median("rps")
        add("gateway throughput ≥ 0.85 × direct (runs alternated)",
            f"{ratio:.2f} ({gw.median('rps'):.0f} / {direct.median('rps'):.0f})", ratio >= 0.85)
    sale = by_key.get("sale")
    if sale:
        add("sale creation (3 lines, stock move, semi-sync commit), c10: ≥ 90 sales/s, 0 errors",
            f"{sale.median('rps'):.0f} sales/s, {sale.total('errors')} errors",
            sale.median("rps") >= 90 and sale.total("errors") == 0)
        cpu = cpu_ms_per_request(sale, usage_by_key.get("sale")).get("total")
        add("… CPU per sale ≤ 16 ms over all processes", "not sampled" if cpu is None else f"{cpu:.1f} ms",
            None if cpu is None else cpu <= 16)
    for key, what in (("list", "product list"), ("search", "product search")):
        text, ok = _scale_ratio(result, f"{key}-c1")
        add(f"{what} p50 at 1,000,000 products ≤ 1.5 × p50 at 10,000 (one client)", text, ok)
        text, _ = _scale_ratio(result, key)
        rows.append(f"| … the same at c10 (queueing included; for comparison) | {text} | |")
    # every branch's report is the one that covers all the day's lines; one branch's covers its share
    report = by_key.get("report-all-c1")
    lines = int(result["scale"].get("sale_lines", 0))
    if report:
        add("daily report over 1,000,000 sale lines ≤ 300 ms (every branch, one client, p99)",
            f"p50 {report.median('p50_ms'):.1f} ms, p99 {report.median('p99_ms'):.1f} ms "
            f"over {lines:,} seeded lines that day", report.median("p99_ms") <= 300 if lines >= 1_000_000 else None)
    idle = result["idle"]["memory_mib"]
    add("whole stack idle under 2 GiB", f"{idle} MiB PSS in {result['idle']['processes']} processes",
        idle < IDLE_LIMIT_MIB)
    return rows


def render(result: dict) -> str:
    scale = result["scale"]
    load = result["load"]
    head = [
        "# Performance", "",
        f"Measured {result['finished']} by `bin/loadtest` on {result['machine']}. "
        f"Load average (1 min) before the run {load['before'][0]:.2f}, after {load['after'][0]:.2f} "
        "(other work on the machine competes with the stack).", "",
        f"Each figure is the median of {result['repeats']} runs of {result['seconds']} s (wrk) against a `bin/up` "
        "stack on loopback, authenticated as the admin; errors are summed over the runs. CPU is the stack's "
        "processes in cores (of 2) during the run; memory is their PSS in MiB.", "",
        f"Data: {scale.get('catalogue_size', 0):,} products, {scale.get('stock_rows', 0):,} seeded stock rows, "
        f"{scale.get('sale_lines', 0):,} seeded sale lines on {scale.get('date', 'today')} over "
        f"{scale.get('branches', 0)} branches (`bin/seed-data`); search term \"{result['search_term']}\".", "",
        "## Targets", "", *targets(result), "",
        "## Every scenario", "",
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | CPU cores | MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = []
    if result["ab"].runs:
        rows.append(_row("original experiment: ab -n 100 -c 10, product list via gateway", result["ab"], None))
    rows += [_row(s.name, f, u) for s, f, u in result["results"]]
    return "\n".join(head + rows + cpu_table(result)) + "\n"


def cpu_table(result: dict) -> list[str]:
    """CPU milliseconds per request of every scenario, by supervisor program (those over 0.05 ms)."""
    rows = []
    for scenario, figures, usage in result["results"]:
        shares = cpu_ms_per_request(figures, usage)
        if not shares:
            continue
        parts = ", ".join(f"{name} {ms:.2f}" for name, ms in sorted(shares.items(), key=lambda kv: -kv[1])
                          if name != "total" and ms >= 0.05)
        rows.append(f"| {scenario.name} | {shares['total']:.2f} | {parts} |")
    if not rows:
        return []
    return ["", "## CPU per request, by process", "",
            "CPU milliseconds (user + system, from /proc) each supervisor program and its children spent per "
            "request answered, median of the runs; wrk itself is not counted.", "",
            "| scenario | total ms | by program (ms) |", "| --- | ---: | --- |", *rows]


def write(result: dict, path: Path = REPO / "docs" / "performance.md") -> str:
    old = path.read_text() if path.exists() else ""
    notes = old[old.index(NOTES_MARKER):] if NOTES_MARKER in old else NOTES_MARKER + "\n"
    text = render(result) + "\n" + notes
    path.write_text(text)
    return text
