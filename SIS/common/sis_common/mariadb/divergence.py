"""Which transactions a node has that the primary lacks, read from the node's own binary log."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gtid import Gtid, has_transaction, state_map
from .nodes import Credentials, Node, session

GTID_INFO = re.compile(r"GTID (\d+-\d+-\d+)")
TABLE_INFO = re.compile(r"\(([^)]+)\)")
MAX_FILES = 3  # the extra transactions are at the tail; older files hold the shared history


@dataclass
class Transaction:
    gtid: str
    tables: list[str] = field(default_factory=list)
    events: int = 0

    def as_dict(self) -> dict:
        return {"gtid": self.gtid, "tables": sorted(set(self.tables)), "events": self.events}


def extra_transactions(node: Node, admin: Credentials, primary_history: str, *, limit: int = 100) -> list[Transaction]:
    """Transactions in `node`'s binlog that `primary_history` (a GTID state) does not hold, oldest first."""
    known = state_map(primary_history)
    found: list[Transaction] = []
    with session(node, admin, timeout=5) as cur:
        cur.execute("SHOW BINARY LOGS")
        files = [row["Log_name"] for row in cur.fetchall()][-MAX_FILES:]
        for name in files:
            cur.execute(f"SHOW BINLOG EVENTS IN '{name}'")
            current: Transaction | None = None
            for event in cur.fetchall():
                kind, info = event["Event_type"], event["Info"] or ""
                if kind == "Gtid":
                    match = GTID_INFO.search(info)
                    gtid = Gtid.parse(match.group(1)) if match else None
                    current = Transaction(str(gtid)) if gtid and not has_transaction(known, gtid) else None
                    if current:
                        found.append(current)
                elif current is not None:
                    current.events += 1
                    if kind == "Table_map":
                        table = TABLE_INFO.search(info)
                        if table:
                            current.tables.append(table.group(1))
    return found[-limit:]
