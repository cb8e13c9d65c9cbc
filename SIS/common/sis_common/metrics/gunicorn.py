"""Gunicorn hooks for metrics shared by all workers (prometheus_client's multi-process mode).

Imported by sis_common.gunicorn_conf in the gunicorn master, before any worker
exists: PROMETHEUS_MULTIPROC_DIR must be in the environment before
prometheus_client is first imported, so this module only sets it and imports
the library lazily in the hooks.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def metrics_dir() -> Path:
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        return Path(given)
    service = os.environ.get("EWTTO_SERVICE", "ewtto")
    var = os.environ.get("EWTTO_VAR")
    base = Path(var) / "run" / "metrics" if var else Path(tempfile.gettempdir()) / "ewtto-metrics"
    return base / service


os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir())


def on_starting(server) -> None:
    """A fresh directory per master start: counters restart at 0 like any restarted process's."""
    directory = metrics_dir()
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
