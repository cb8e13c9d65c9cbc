"""A person's role changes: planned switchover, acknowledging a failover, forcing a promotion.

The planned switchover blocks writes only between the old primary going
read-only and the new one going writable: the replica is caught up before,
and the old primary is already its replica (semi-sync registered) when it
opens for writes, so nothing is lost and the pause is a few hundred ms.
"""
from __future__ import annotations

import getpass
import time
from pathlib import Path

from sis_common.mariadb.nodes import session
from sis_common.mariadb.replication import (PairSpec, current_roles, probe, wait_caught_up,
                                            wait_semi_sync_client)
from sis_common.watchdog_files import EventLog

from .pairlock import pair_lock
from .pairwatch import ack_path
from .promotion import NotCaughtUp, demote, drain, promote


class SwitchoverRefused(RuntimeError):
    pass


def switchover(pair: PairSpec, events: EventLog, control: Path, *, timeout: float = 10) -> dict:
    """Swap primary and replica with writes blocked for the shortest possible time and nothing lost."""
    with pair_lock(control, pair.service, wait=15):
        old, new = current_roles(pair)
        if old is None:
            raise SwitchoverRefused(f"{pair.service}: no writable primary; see bin/status and docs/ha.md")
        state = probe(new, pair.admin)
        if not (state.replicating_from == pair.peer_address(old) and state.io_running and state.sql_running):
            raise SwitchoverRefused(f"{pair.service}: {new} is not a healthy replica of {old} "
                                    f"({state.last_error or state.error or 'threads stopped'})")
        events.emit("switchover_started", service=pair.service, primary=str(old), candidate=str(new),
                    by=getpass.getuser())
        wait_caught_up(pair, old, new, timeout=timeout)  # writes still flow: this only shortens the pause
        started = time.monotonic()
        with session(old, pair.admin, timeout=5) as cur:
            cur.execute("SET GLOBAL read_only = ON")  # writes stop here; open transactions fail to commit
            cur.execute("SELECT @@gtid_binlog_pos AS pos")
            final = cur.fetchone()["pos"]
        try:
            with session(new, pair.admin, timeout=timeout) as cur:
                cur.execute("SELECT MASTER_GTID_WAIT(%s, %s) AS r", (final, timeout))
                if cur.fetchone()["r"] != 0:
                    raise SwitchoverRefused(f"{pair.service}: {new} did not reach {final} in {timeout}s")
                cur.execute("STOP SLAVE")
                cur.execute("RESET SLAVE ALL")
        except Exception:
            with session(old, pair.admin) as cur:
                cur.execute("SET GLOBAL read_only = OFF")  # nothing changed hands: the old primary goes on
            events.emit("switchover_aborted", service=pair.service, level="error", primary=str(old))
            raise
        demote(pair, old, new)
        with session(new, pair.admin) as cur:
            cur.execute("SET GLOBAL rpl_semi_sync_master_enabled = ON")
        semi_sync = wait_semi_sync_client(pair, new, timeout=1.0)
        with session(new, pair.admin) as cur:
            if not semi_sync:  # do not make every commit wait the semi-sync timeout
                cur.execute("SET GLOBAL rpl_semi_sync_master_enabled = OFF")
            cur.execute("SET GLOBAL read_only = OFF")
        pause = round(time.monotonic() - started, 3)
        result = {"service": pair.service, "primary": str(new), "replica": str(old), "write_pause_s": pause,
                  "gtid": final, "semi_sync": semi_sync}
        events.emit("switchover_completed", level="info" if semi_sync else "warning", **result)
        return result


def acknowledge(events: EventLog, control: Path, service: str) -> None:
    """A person saw the last failover: the watchdog may fail this pair over again."""
    control.mkdir(parents=True, exist_ok=True)
    ack_path(control, service).write_text(f"{time.time():.3f}\n")
    events.emit("acknowledged", service=service, by=getpass.getuser(),
                detail="automatic failover allowed again")


def force_promote(pair: PairSpec, events: EventLog, control: Path, *, timeout: float = 10) -> dict:
    """Promote the replica although the primary's writes may not all be on it (a person's decision)."""
    with pair_lock(control, pair.service, wait=15):
        primary, replica = current_roles(pair)
        if primary is not None:
            raise SwitchoverRefused(f"{pair.service}: {primary} is writable; use a planned switchover instead")
        candidates = [probe(n, pair.admin, detail=True) for n in pair.nodes]
        reachable = [s for s in candidates if s.reachable]
        if len(reachable) != 1:
            raise SwitchoverRefused(f"{pair.service}: --force needs exactly one reachable node "
                                    f"(found {len(reachable)}); with both up use bin/failover without --force")
        target = reachable[0]
        try:
            drained = drain(pair, target.node, timeout=timeout)
            applied, note = drained.applied, "relay log applied"
        except NotCaughtUp as exc:
            applied, note = target.gtid_current_pos, f"not proven caught up: {exc}"
        promote(pair, target.node, semi_sync=False)
        acknowledge(events, control, pair.service)
        result = {"service": pair.service, "primary": str(target.node), "gtid": applied, "note": note}
        events.emit("forced_failover", level="critical", **result,
                    detail="writes the old primary acknowledged while the pair ran async may be lost")
        return result
