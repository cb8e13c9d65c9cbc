"""The counters and histograms every process updates; under gunicorn they are shared through files.

prometheus_client switches to its multi-process mode when
PROMETHEUS_MULTIPROC_DIR is set before it is imported (sis_common.metrics.gunicorn
sets it in the gunicorn master), so a scrape answered by any worker sums all.
"""
from prometheus_client import Counter, Histogram

# latency buckets from a cached read to a sale waiting on a slow semi-sync ack
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "ewtto_http_requests", "HTTP requests answered, by route pattern, method and status.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "ewtto_http_request_duration_seconds", "Time to answer an HTTP request, by route pattern and method.",
    ["route", "method"], buckets=LATENCY_BUCKETS,
)
DB_QUERIES = Counter(
    "ewtto_db_queries", "SQL statements sent, by database alias (default = primary, replica) and verb.",
    ["alias", "verb"],
)
IDEMPOTENT_REPLAYS = Counter(
    "ewtto_idempotent_replays", "Requests answered with the stored first answer of their Idempotency-Key.",
)
AUDIT_FAILURES = Counter(
    "ewtto_audit_write_failures", "Audit rows that could not be written (the event went to the log instead).",
)
