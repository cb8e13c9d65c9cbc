"""Gauges of the project's database pair, probed at scrape time: role, replication threads and lag per node."""
from __future__ import annotations

from django.conf import settings
from prometheus_client.core import GaugeMetricFamily

ROLES = ("primary", "replica", "fenced", "down")
STATUSES = ("ok", "degraded", "down")


def collect_pair():
    """Nothing for a project without a database pair (the gateway)."""
    db = getattr(settings, "DATABASES", {}).get("default", {})
    if "NODES" not in db:
        return
    from sis_common.health import pair_health

    yield from families(pair_health())


def families(health: dict):
    up = GaugeMetricFamily("ewtto_db_node_up", "1 when the node answered the probe.", labels=["node"])
    role = GaugeMetricFamily("ewtto_db_node_role", "1 for the role each node is in now.", labels=["node", "role"])
    lag = GaugeMetricFamily("ewtto_db_replication_lag_seconds",
                            "Seconds_Behind_Master of a replica (0 on the primary; NaN when unknown).",
                            labels=["node"])
    threads = GaugeMetricFamily("ewtto_db_replication_running",
                                "1 when a replica's IO or SQL thread runs.", labels=["node", "thread"])
    status = GaugeMetricFamily("ewtto_db_pair_status", "1 for the pair's status now.", labels=["status"])
    for node in health["nodes"]:
        name = node["node"]
        up.add_metric([name], 1.0 if node["reachable"] else 0.0)
        for each in ROLES:
            role.add_metric([name, each], 1.0 if node["role"] == each else 0.0)
        if node["role"] == "primary":
            lag.add_metric([name], 0.0)
        else:
            lag.add_metric([name], float("nan") if node["lag_seconds"] is None else float(node["lag_seconds"]))
        if node["replicating_from"]:
            threads.add_metric([name, "io"], 1.0 if node["io_running"] else 0.0)
            threads.add_metric([name, "sql"], 1.0 if node["sql_running"] else 0.0)
    for each in STATUSES:
        status.add_metric([each], 1.0 if health["status"] == each else 0.0)
    return [up, role, lag, threads, status]
