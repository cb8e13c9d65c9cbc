"""/metrics of a service: request, latency, query and replay series after real requests, the pair per node, access."""
from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from sis_common.mariadb import replication
from sis_common.metrics import register_gauge
from sis_common.watchdog_files import EventLog

from .resource import Resource


def scrape(**headers) -> dict:
    """{(name, labels as sorted tuple): value} of one scrape."""
    response = APIClient().get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


class MetricsSuite:
    """Subclass as `Test...` with `resource` set."""

    resource: Resource
    pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

    def test_requests_are_counted_and_timed_by_route_and_status(self, admin_client):
        resource = self.resource
        route = resource.route
        before = scrape()
        for _ in range(3):
            assert admin_client.get(resource.list_path).status_code == 200
        created = admin_client.post(resource.list_path, resource.body(), format="json")
        assert created.status_code == 201
        assert admin_client.get(f"{resource.list_path}999999999/").status_code == 404
        assert admin_client.get("/no/such/page/").status_code == 404
        after = scrape()

        def delta(name, **labels):
            return value(after, name, **labels) - value(before, name, **labels)

        assert delta("ewtto_http_requests_total", route=route, method="GET", status="200") == 3
        assert delta("ewtto_http_requests_total", route=route, method="POST", status="201") == 1
        assert delta("ewtto_http_requests_total", route=resource.detail_route, method="GET", status="404") == 1
        # an unrouted path is one series, not one per path
        assert delta("ewtto_http_requests_total", route="<unmatched>", method="GET", status="404") == 1
        assert delta("ewtto_http_request_duration_seconds_count", route=route, method="GET") == 3
        assert delta("ewtto_http_request_duration_seconds_bucket", route=route, method="GET", le="+Inf") == 3
        assert 0 < delta("ewtto_http_request_duration_seconds_sum", route=route, method="GET") < 30
        # reads went to the replica, the insert to the primary
        assert delta("ewtto_db_queries_total", alias="replica", verb="SELECT") >= 3
        assert delta("ewtto_db_queries_total", alias="default", verb="INSERT") >= 1
        # the scrapes themselves are not counted
        assert not any(name == "ewtto_http_requests_total" and ("route", "metrics") in labels for name, labels in after)

    def test_both_nodes_report_role_and_replication_lag(self, db_pair):
        samples = scrape()
        primary, replica = (str(n) for n in replication.current_roles(db_pair.spec))
        for node in (primary, replica):
            assert value(samples, "ewtto_db_node_up", node=node) == 1
            assert ("ewtto_db_replication_lag_seconds", (("node", node),)) in samples
        assert value(samples, "ewtto_db_node_role", node=primary, role="primary") == 1
        assert value(samples, "ewtto_db_node_role", node=primary, role="replica") == 0
        assert value(samples, "ewtto_db_node_role", node=replica, role="replica") == 1
        assert value(samples, "ewtto_db_replication_lag_seconds", node=primary) == 0
        assert 0 <= value(samples, "ewtto_db_replication_lag_seconds", node=replica) < 5
        assert value(samples, "ewtto_db_replication_running", node=replica, thread="io") == 1
        assert value(samples, "ewtto_db_replication_running", node=replica, thread="sql") == 1
        assert value(samples, "ewtto_db_pair_status", status="ok") == 1

    def test_watchdog_failovers_come_from_its_event_log(self, settings, tmp_path):
        slug, other = self.resource.slug, self.resource.other_slug
        settings.EWTTO_WATCHDOG_EVENTS = str(tmp_path / "absent.jsonl")
        settings.EWTTO_WATCHDOG_STATE = str(tmp_path / "absent.json")
        samples = scrape()
        assert value(samples, "ewtto_watchdog_failovers_total", service=slug, kind="automatic") == 0
        assert value(samples, "ewtto_watchdog_up") == 0
        log_path = tmp_path / "watchdog-events.jsonl"
        events = EventLog(log_path, echo=False)  # the watchdog's own writer
        events.emit("failover_completed", service=slug, level="warning", primary="127.0.0.1:2", previous="x")
        events.emit("failover_completed", service=other, level="warning", primary="127.0.0.1:3", previous="y")
        events.emit("switchover_completed", service=slug, primary="127.0.0.1:1")
        events.emit("armed", service=slug, primary="127.0.0.1:1")
        settings.EWTTO_WATCHDOG_EVENTS = str(log_path)
        samples = scrape()
        assert value(samples, "ewtto_watchdog_failovers_total", service=slug, kind="automatic") == 1
        assert value(samples, "ewtto_watchdog_failovers_total", service=slug, kind="switchover") == 1
        assert value(samples, "ewtto_watchdog_failovers_total", service=slug, kind="forced") == 0
        # another pair's failovers belong to that service's /metrics
        assert ("ewtto_watchdog_failovers_total", (("kind", "automatic"), ("service", other))) not in samples
        events.emit("forced_failover", service=slug, level="critical", primary="127.0.0.1:2")
        assert value(scrape(), "ewtto_watchdog_failovers_total", service=slug, kind="forced") == 1

    def test_registered_gauges_appear_and_a_broken_one_costs_only_itself(self):
        register_gauge("ewtto_test_pending_things", "Things waiting.", lambda: {("sale",): 2, ("return",): 0},
                       labels=("kind",))
        register_gauge("ewtto_test_broken", "Always fails.", lambda: 1 / 0)
        samples = scrape()
        assert value(samples, "ewtto_test_pending_things", kind="sale") == 2
        assert value(samples, "ewtto_test_pending_things", kind="return") == 0
        assert not any(name == "ewtto_test_broken" for name, _ in samples)
        assert value(samples, "ewtto_idempotent_replays_total") >= 0
        assert ("ewtto_idempotent_replays_total", ()) in samples
        assert ("ewtto_audit_write_failures_total", ()) in samples

    @pytest.mark.parametrize("headers", [
        {"HTTP_X_FORWARDED_FOR": "203.0.113.9"},
        {"HTTP_X_FORWARDED_FOR": "127.0.0.1, 203.0.113.9, 127.0.0.1"},
        {"HTTP_X_FORWARDED_HOST": "shop.example"},
        {"REMOTE_ADDR": "198.51.100.7"},
        {"HTTP_X_FORWARDED_FOR": "not-an-address"},
    ])
    def test_metrics_refuse_callers_outside_the_monitoring_network(self, headers):
        response = APIClient().get("/metrics", **headers)
        assert response.status_code == 403
        assert response.json()["code"] == "metrics_forbidden"

    def test_metrics_answer_loopback_through_the_sidecar_and_a_setting_widens_it(self, settings):
        # nginx sidecar on loopback: X-Forwarded-For holds only the scraper's loopback address
        assert APIClient().get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200
        settings.EWTTO_METRICS_ALLOW = "127.0.0.0/8,10.9.0.0/16"
        assert APIClient().get("/metrics", HTTP_X_FORWARDED_FOR="10.9.3.4").status_code == 200
        assert APIClient().get("/metrics", HTTP_X_FORWARDED_FOR="10.10.3.4").status_code == 403
