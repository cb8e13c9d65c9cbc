"""The watchdog's files: where they lie below a var directory, and the one staleness rule every reader applies."""
import time
from pathlib import Path

from sis_common import watchdog_files
from sis_common.watchdog_files import EventLog, read_state, state_path, status, tail_events, write_state


def test_files_lie_where_the_readers_fallback_looks():
    var = Path("/srv/var")
    assert state_path(var) == var / "run" / "watchdog-state.json"
    assert watchdog_files.event_log_path(var) == var / "log" / "watchdog-events.jsonl"
    assert watchdog_files.control_dir(var) == var / "run" / "watchdog"


def test_state_is_running_until_it_is_older_than_the_staleness_limit():
    now = time.time()
    assert status(None) == "absent"
    assert status({"updated_ts": now - 1}, now=now) == "running"
    assert status({"updated_ts": now - watchdog_files.STALE_SECONDS - 0.5}, now=now) == "stale"
    assert status({"updated_ts": None}, now=now) == "stale"
    assert status({"updated_ts": now, "stopped": True}, now=now) == "stopped"


def test_state_written_is_read_back_and_anything_else_is_none(tmp_path):
    path = state_path(tmp_path)
    assert read_state(path) is None and read_state(None) is None
    write_state(path, {"updated_ts": 1.5, "pairs": {}})
    assert read_state(path) == {"updated_ts": 1.5, "pairs": {}}
    path.write_text("[1, 2]")
    assert read_state(path) is None
    path.write_text("{half")
    assert read_state(path) is None


def test_events_appended_are_tailed_per_service(tmp_path):
    log = EventLog(watchdog_files.event_log_path(tmp_path), echo=False)
    for i in range(3):
        log.emit("look", service="auth" if i % 2 else "ventas", n=i)
    assert [e["n"] for e in tail_events(log.path, service="ventas")] == [0, 2]
    assert [e["n"] for e in tail_events(log.path, limit=1)] == [2]
