"""bin/loadtest's bookkeeping: verdicts against the targets, the 10,000-vs-1,000,000 comparison, kept notes."""
import json

import pytest

from sis_ops import perfreport
from sis_ops.loadtest import (Figures, Reference, Scenario, _body_lua, history_path, interleaved,
                              reference_stack)
from sis_ops.stack import Stack
from sis_ops.workload import Workload


def figures(rps: float, p50: float, p99: float, errors: int = 0) -> Figures:
    return Figures([{"rps": rps, "p50_ms": p50, "p95_ms": p99, "p99_ms": p99, "errors": errors}] * 3)


def result(size: int, history: dict, **by_key) -> dict:
    return {
        "machine": "test box", "idle": {"memory_mib": 1500, "processes": 30}, "seconds": 10, "repeats": 3,
        "scale": {"catalogue_size": size, "sale_lines": 1_000_000, "date": "2026-01-05"},
        "search_term": "Agua mineral", "load": {"before": (0.5, 0, 0), "after": (0.7, 0, 0)},
        "finished": "2026-01-05 10:00 UTC", "ab": figures(900, 9, 20), "history": history,
        "results": [(Scenario(key, key, "http://127.0.0.1", 10), f, [{"cores": 1.9, "memory_mib": 1600}])
                    for key, f in by_key.items()],
    }


def verdict(text: str, target: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| {target}")).rsplit("|", 2)[-2].strip()


def test_each_target_is_judged_on_the_median():
    text = perfreport.render(result(
        1_000_008, {}, **{"list": figures(650, 9, 40), "list-direct": figures(1100, 5, 20),
                          "sale": figures(120, 60, 140, errors=1), "report-all-c1": figures(9, 100, 310)}))
    assert verdict(text, "product list (page of 50) via gateway, c10: ≥ 600 req/s") == "met"
    assert verdict(text, "gateway throughput ≥ 0.85 × direct") == "**not met**"  # 0.59
    assert verdict(text, "original experiment") == "met"  # 900 req/s
    assert verdict(text, "sale creation") == "**not met**"
    assert verdict(text, "daily report over 1,000,000 sale lines") == "**not met**"
    assert verdict(text, "whole stack idle under 2 GiB") == "met"
    assert "23 req/s" in text


def test_cpu_per_request_is_each_programs_share_of_the_requests_answered():
    sale = Figures([{"rps": 100, "p50_ms": 50, "p95_ms": 90, "p99_ms": 99, "errors": 0, "requests": 1000}] * 3)
    usage = [{"cores": 1.5, "memory_mib": 1600, "cpu_by_program": {"app-ventas": 8.0, "db-ventas-1": 4.0,
                                                                   "nginx-gateway": 0.02}}] * 3
    data = result(10_008, {})
    data["results"] = [(Scenario("sale", "sale", "http://127.0.0.1", 10, "POST"), sale, usage)]
    text = perfreport.render(data)
    assert verdict(text, "… CPU per sale ≤ 16 ms") == "met"  # 12 ms: 8 + 4 + 0.02 s over 1000 sales
    row = next(line for line in text.splitlines() if line.startswith("| sale | 12.02 |"))
    assert "app-ventas 8.00, db-ventas-1 4.00" in row and "nginx-gateway" not in row  # under 0.05 ms
    assert verdict(text, "sale creation") == "met"


def test_scale_is_compared_with_the_smallest_catalogue_measured():
    history = {"10008": {"list-c1": {"p50_ms": 6.0, "rps": 150}, "search-c1": {"p50_ms": 10.0, "rps": 90}},
               "1000008": {"list-c1": {"p50_ms": 6.6, "rps": 150}, "search-c1": {"p50_ms": 16.0, "rps": 60}}}
    text = perfreport.render(result(1_000_008, history))
    assert verdict(text, "product list p50 at 1,000,000") == "met"  # 1.10×
    assert verdict(text, "product search p50 at 1,000,000") == "**not met**"  # 1.60×
    small_only = perfreport.render(result(10_008, {"10008": history["10008"]}))
    assert verdict(small_only, "product list p50 at 1,000,000") == "not measured"


def test_a_new_run_keeps_the_notes_below_the_marker(tmp_path):
    path = tmp_path / "performance.md"
    path.write_text(f"# old figures\n\n{perfreport.NOTES_MARKER}\n## What was fixed\nkept text\n")
    perfreport.write(result(10_008, {}, list=figures(300, 30, 70)), path)
    text = path.read_text()
    assert "old figures" not in text and text.endswith("## What was fixed\nkept text\n")
    assert "| product list (page of 50) via gateway, c10: ≥ 600 req/s | 300 req/s | **not met** |" in text


def test_sale_bodies_are_sent_in_turn():
    lua = _body_lua(Scenario("sale", "sale", "http://x", 10, "POST", [{"branch": 1}, {"branch": 2}]))
    assert 'wrk.method = "POST"' in lua and 'bodies = { [[{"branch": 1}]], [[{"branch": 2}]] }' in lua
    assert _body_lua(Scenario("list", "list", "http://x", 10)) == ""


def test_a_scratch_stacks_figures_become_the_small_catalogue_reference(tmp_path):
    stack = Stack(var=tmp_path / "big", port=8000, db_port_base=3300)
    history_path(stack).parent.mkdir(parents=True)
    history_path(stack).write_text(json.dumps({"10008": {"search-c1": {"p50_ms": 9.0}, "sale": {"rps": 40}},
                                               "1000008": {"search-c1": {"p50_ms": 12.0}}}))
    scratch = Reference(Stack(var=tmp_path / "scratch", port=9000),
                        Workload("token", 1, [1, 2, 3], "Agua mineral", {"catalogue_size": 10008}),
                        {"search-c1": figures(130, 7.5, 13)})
    scratch.keep(stack, "2026-01-05 10:00 UTC")
    kept = json.loads(history_path(stack).read_text())
    assert kept["10008"]["search-c1"]["p50_ms"] == 7.5 and kept["10008"]["sale"] == {"rps": 40}
    assert kept["1000008"] == {"search-c1": {"p50_ms": 12.0}}


def test_the_gateway_and_direct_list_runs_alternate_and_the_rest_run_alone():
    keys = ["list", "list-direct", "list-c50", "search", "sale"]
    groups = interleaved([Scenario(key, key, "http://127.0.0.1", 10) for key in keys])
    assert [[s.key for s in group] for group in groups] == [["list", "list-direct"], ["list-c50"], ["search"],
                                                             ["sale"]]
    alone = interleaved([Scenario("list-direct", "d", "http://127.0.0.1", 10)])
    assert [[s.key for s in group] for group in alone] == [["list-direct"]]


def test_the_reference_stack_is_named_by_its_var_directory_and_gateway_port(tmp_path):
    stack = reference_stack(f"{tmp_path}/scratch:9000")
    assert (stack.var, stack.port, stack.url()) == (tmp_path / "scratch", 9000, "http://127.0.0.1:9000")
    for bad in ("9000", f"{tmp_path}/scratch", f"{tmp_path}:port"):
        with pytest.raises(SystemExit):
            reference_stack(bad)
