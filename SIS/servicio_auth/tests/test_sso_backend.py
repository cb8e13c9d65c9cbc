"""The admin sign-in backend the other projects use (sis_common.auth.sso), for what needs no second service.

Signing in through servicio_auth for real is covered through the gateway in tests/system/test_auth_edge.py.
"""
import socket
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from sis_common.auth.sso import AuthServiceBackend, forwarded_for


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


@pytest.mark.parametrize(("username", "password"), [
    (None, "x"), ("admin", None), ("", "x"), ("admin", ""), (["admin"], "x"), ("a" * 5000, "x"), ("admin", "x" * 5000),
])
def test_unusable_credentials_are_refused_without_asking(username, password, monkeypatch):
    monkeypatch.delenv("EWTTO_AUTH_URL", raising=False)
    assert AuthServiceBackend().authenticate(RequestFactory().post("/"), username=username, password=password) is None


def test_a_dead_auth_service_refuses_the_sign_in_instead_of_failing(monkeypatch, caplog):
    monkeypatch.setenv("EWTTO_AUTH_URL", closed_port_url())
    request = RequestFactory().post("/admin/x/login/")
    assert AuthServiceBackend().authenticate(request, username="admin", password="whatever") is None
    assert any("unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_an_admin_session_lasts_the_configured_time(make_user, monkeypatch):
    monkeypatch.setenv("EWTTO_SSO_SESSION_SECONDS", "3600")
    user = make_user("admin")
    backend = AuthServiceBackend()
    assert backend.get_user(user.pk) is None  # never signed in
    user.last_login = timezone.now() - timedelta(minutes=59)
    user.save(update_fields=["last_login"])
    assert backend.get_user(user.pk) == user
    user.last_login = timezone.now() - timedelta(minutes=61)
    user.save(update_fields=["last_login"])
    assert backend.get_user(user.pk) is None


def test_the_client_address_chain_is_passed_on():
    request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 127.0.0.1")
    assert forwarded_for(request) == {"X-Forwarded-For": "198.51.100.7, 127.0.0.1, 127.0.0.1"}
    long = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="9" * 3000)
    assert forwarded_for(long)["X-Forwarded-For"].endswith(", 127.0.0.1")
    assert forwarded_for(None) == {}
