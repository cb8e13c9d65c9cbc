"""The system /health: each service's status for anyone, node details for operators only."""
import pytest
from django.test import Client

from sis_common.testing.tokens import auth_header

OUTSIDE = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}  # as our nginx relays a client


def test_an_outsider_gets_each_services_status_and_nothing_else(dead_upstreams):
    for extra in (OUTSIDE, {**OUTSIDE, **auth_header(role="cashier", branches=[1])},
                  {**OUTSIDE, "HTTP_X_INTERNAL_TOKEN": "guess"}):
        response = Client().get("/health", **extra)
        assert response.status_code == 503
        body = response.json()
        assert set(body) == {"status", "services"}
        assert all(service == {"status": "down"} for service in body["services"].values()), body


@pytest.mark.parametrize("extra", [{}, {**OUTSIDE, **auth_header(role="admin")},
                                   {**OUTSIDE, **auth_header(role="auditor")}])
def test_operators_get_the_details(dead_upstreams, extra):
    body = Client().get("/health", **extra).json()
    assert "watchdog" in body
    assert all("error" in service for service in body["services"].values())
