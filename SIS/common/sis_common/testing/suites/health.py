"""/health of a service: a status for anyone, node details for operators only, no database work per public call."""
from __future__ import annotations

import pytest
from django.test import Client

from sis_common import health
from sis_common.mariadb.nodes import session
from sis_common.testing.internal import caller_credentials
from sis_common.testing.tokens import auth_header

from .resource import NON_STAFF_ROLES, Resource

OUTSIDE = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}  # relayed by our nginx


def connections_made(pair) -> int:
    total = 0
    for node in pair.spec.nodes:
        with session(node, pair.spec.admin) as cur:
            cur.execute("SHOW GLOBAL STATUS LIKE 'Connections'")
            total += int(cur.fetchone()["Value"])
    return total - 2  # our own two sessions


class HealthSuite:
    """Subclass as `Test...` with `resource` set (only its slug and api are used)."""

    resource: Resource
    pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

    @pytest.mark.parametrize("path", ["/health", "/api/{api}/health/"])
    def test_an_outsider_gets_the_status_only(self, path):
        path = path.format(api=self.resource.api)
        for extra in (OUTSIDE, {"REMOTE_ADDR": "198.51.100.9"}, {"REMOTE_ADDR": "198.51.100.9",
                                                                  "HTTP_X_FORWARDED_FOR": "127.0.0.1"}):
            body = Client().get(path, **extra).json()
            assert body == {"status": "ok", "service": self.resource.slug}, extra

    @pytest.mark.parametrize("role", NON_STAFF_ROLES)
    def test_other_roles_get_the_status_only_too(self, role):
        body = Client().get("/health", **OUTSIDE, **auth_header(role=role, branches=[1])).json()
        assert set(body) == {"status", "service"}

    @pytest.mark.parametrize("extra", [
        {},  # loopback: the operator on the machine
        {**OUTSIDE, **auth_header(role="admin")},
        {**OUTSIDE, **auth_header(role="auditor")},
        {**OUTSIDE, **caller_credentials("gateway")},
    ])
    def test_operators_get_the_node_details(self, extra):
        body = Client().get("/health", **extra).json()
        assert body["db"]["primary"] and len(body["db"]["nodes"]) == 2

    def test_a_wrong_internal_token_or_a_forged_admin_token_gets_nothing_more(self):
        # another service's genuine credential is not the gateway's
        for extra in ({"HTTP_X_INTERNAL_CALLER": "gateway", "HTTP_X_INTERNAL_TOKEN": "guess"},
                      {"HTTP_AUTHORIZATION": "Bearer x.y.z"}, caller_credentials(self.resource.other_slug)):
            assert set(Client().get("/health", **OUTSIDE, **extra).json()) == {"status", "service"}

    def test_public_calls_in_a_loop_open_no_database_connections(self, db_pair):
        client = Client()
        client.get("/health", **OUTSIDE)  # fills the cache
        before = connections_made(db_pair)
        for _ in range(30):
            assert client.get("/health", **OUTSIDE).status_code == 200
        # the old view probed both nodes with new connections on every call: 60 here
        assert connections_made(db_pair) - before <= 2 * len(db_pair.spec.nodes)
        assert health.CACHE_SECONDS <= 5
