"""The load test's table: printed, and written to docs/performance.md next to the original 23 req/s."""
from __future__ import annotations

import datetime as dt

from .stack import REPO

ORIGINAL = "23 req/s (Laravel, Apache Bench 100 requests, concurrency 10, 0 failures)"


def _row(name: str, figures, usage: list[dict] | None, target: str) -> str:
    cores = max((u.get("cores", 0) for u in usage), default=0) if usage else "-"
    mem = max((u.get("memory_mib", 0) for u in usage), default=0) if usage else "-"
    return (f"| {name} | {figures.median('rps'):.0f} | {figures.median('p50_ms'):.1f} | {figures.median('p95_ms'):.1f} "
            f"| {figures.median('p99_ms'):.1f} | {figures.total('errors')} | {cores} | {mem} | {target} |")


def render(result: dict) -> str:
    head = [
        "# Performance", "",
        f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC by `bin/loadtest` on {result['machine']}.",
        f"Each figure is the median of {result['repeats']} runs of {result['seconds']} s (wrk, 2 threads) "
        "against a `bin/up` stack on loopback; errors are summed over the runs. "
        "CPU is the stack's processes in cores (of 2) during the run; memory is their PSS in MiB.", "",
        f"Original system: {ORIGINAL}.", "",
        f"Data scale: {result['scale'] or 'demo data'}. Idle stack: {result['idle']['memory_mib']} MiB PSS "
        f"in {result['idle']['processes']} processes.", "",
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | CPU cores | MiB | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        _row("original experiment: ab -n 100 -c 10, product list via gateway", result["ab"], None,
             "far above 23 req/s"),
    ]
    rows = [_row(s.name, f, u, s.target) for s, f, u in result["results"]]
    by_name = {s.name: f for s, f, _ in result["results"]}
    gw, direct = by_name.get("product list, gateway, c10"), by_name.get("product list, direct to inventory nginx, c10")
    ratio = [f"", f"Gateway throughput / direct: {gw.median('rps') / direct.median('rps'):.2f} (target ≥ 0.5)."] \
        if gw and direct and direct.median("rps") else []
    return "\n".join(head + rows + ratio) + "\n"


def write(result: dict) -> str:
    text = render(result)
    (REPO / "docs" / "performance.md").write_text(text)
    return text
