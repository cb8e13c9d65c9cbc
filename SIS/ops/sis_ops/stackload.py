"""CPU and memory used by the stack's processes (every supervisor program and its children)."""
from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from . import supervisor
from .stack import Stack

TICKS = os.sysconf("SC_CLK_TCK")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def program_pids(stack: Stack) -> dict[str, list[int]]:
    """Each supervisor program's process and all its children (gunicorn's workers)."""
    tree, out = _children(), {}
    for program in supervisor.processes(stack):
        if not program["pid"]:
            continue
        pids, todo = [], [program["pid"]]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo.extend(tree.get(pid, []))
        out[program["name"]] = pids
    return out


def stack_pids(stack: Stack) -> list[int]:
    return [pid for pids in program_pids(stack).values() for pid in pids]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _pss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _sum(pids: list[int], fn) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += fn(pid)
    return total


class StackSampler:
    def __init__(self, stack: Stack):
        self.stack = stack

    def snapshot(self) -> dict:
        programs = program_pids(self.stack)
        pids = [pid for group in programs.values() for pid in group]
        by_program = {name: _sum(group, _cpu_seconds) for name, group in programs.items()}
        return {"processes": len(pids), "memory_mib": round(_sum(pids, _pss_mib)),
                "cpu_seconds": sum(by_program.values()), "cpu_by_program": by_program}

    @contextlib.contextmanager
    def measure(self):
        """Yields a dict filled on exit: cores busy on average, CPU seconds per program, memory of the stack."""
        sample: dict = {}
        before, started = self.snapshot(), time.monotonic()
        yield sample
        after, wall = self.snapshot(), time.monotonic() - started
        sample["cores"] = round((after["cpu_seconds"] - before["cpu_seconds"]) / wall, 2) if wall else 0.0
        sample["memory_mib"] = after["memory_mib"]
        # a program restarted during the run counts from zero: never a negative share
        sample["cpu_by_program"] = {name: max(0.0, spent - before["cpu_by_program"].get(name, 0.0))
                                    for name, spent in after["cpu_by_program"].items()}

    def wait_idle(self, *, max_cores: float = 0.15, window: float = 3.0, timeout: float = 600.0) -> float:
        """Wait until the stack's own work has died down (replicas catching up, InnoDB purge after a
        seed); the seconds waited. A measurement taken over such work reports it, not the requests."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            with self.measure() as sample:
                time.sleep(window)
            if sample["cores"] <= max_cores:
                break
        return round(time.monotonic() - started, 1)
