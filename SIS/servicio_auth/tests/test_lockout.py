"""Brute-force protection: a username or an address locks after repeated failures, answers 429, cools off."""
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import RequestFactory, override_settings

from accounts.lockout import client_address

pytestmark = pytest.mark.django_db
USER_LIMIT = settings.AXES_FAILURE_LIMIT


def fail(login, username, times, **kwargs):
    return [login(username, "wrong-password", **kwargs).status_code for _ in range(times)]


def test_a_username_locks_after_repeated_failures_with_a_clear_429(make_user, login):
    user = make_user()
    assert fail(login, user.username, USER_LIMIT - 1) == [401] * (USER_LIMIT - 1)
    locked = login(user.username, "wrong-password")
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out"
    assert "try again in 15 minutes" in body["detail"]
    assert body["retry_after_seconds"] == 900
    assert locked["Retry-After"] == "900"
    # the right password does not get through while locked, from this or any other address
    assert login(user.username).status_code == 429
    assert login(user.username, from_address="203.0.113.9").status_code == 429


def test_a_locked_user_does_not_lock_other_users_at_the_same_address(make_user, login):
    victim, other = make_user(), make_user()
    fail(login, victim.username, USER_LIMIT)
    assert login(victim.username).status_code == 429
    assert login(other.username).status_code == 200


def test_usernames_are_counted_case_insensitively(make_user, login):
    user = make_user()
    for i in range(USER_LIMIT):
        login(user.username.upper() if i % 2 else user.username, "wrong-password")
    assert login(user.username).status_code == 429


def test_an_address_spraying_many_usernames_locks_that_address_only(make_user, login):
    user = make_user()
    for i in range(settings.EWTTO_LOCKOUT_ADDRESS_FAILURES):
        login(f"guess{i}", "wrong-password", from_address="203.0.113.50")
    assert login(user.username, from_address="203.0.113.50").status_code == 429
    assert login(user.username, from_address="203.0.113.51").status_code == 200


def test_a_success_clears_the_users_own_failures(make_user, login):
    user = make_user()
    fail(login, user.username, USER_LIMIT - 1)
    assert login(user.username).status_code == 200
    assert fail(login, user.username, USER_LIMIT - 1) == [401] * (USER_LIMIT - 1)


def test_the_lock_ends_after_the_cooling_period(make_user, login):
    user = make_user()
    fail(login, user.username, USER_LIMIT)
    assert login(user.username).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time
                                 - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert login(user.username).status_code == 200


def test_failures_and_lockouts_are_logged_and_recorded(make_user, login, caplog, address):
    user = make_user()
    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        fail(login, user.username, USER_LIMIT)
    failures = [r for r in caplog.records if r.getMessage() == "sign-in failed"]
    lockouts = [r for r in caplog.records if r.getMessage() == "sign-in locked out"]
    assert len(failures) == USER_LIMIT and failures[0].username == user.username and failures[0].address == address
    assert len(lockouts) == 1
    assert AccessFailureLog.objects.filter(username=user.username, locked_out=True).count() == 1


def test_the_admin_login_page_is_protected_too(make_user, client):
    user = make_user("admin")
    for _ in range(USER_LIMIT - 1):
        page = client.post("/admin/auth/login/", {"username": user.username, "password": "bad"},
                           HTTP_X_FORWARDED_FOR="203.0.113.77")
        assert page.status_code == 200
    locked = client.post("/admin/auth/login/", {"username": user.username, "password": "bad"},
                         HTTP_X_FORWARDED_FOR="203.0.113.77")
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"


@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("127.0.0.1", "", "127.0.0.1"),
    ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
    ("127.0.0.1", "1.2.3.4, 198.51.100.7, 127.0.0.1", "198.51.100.7"),   # the client's own claim is not believed
    ("198.51.100.7", "1.2.3.4", "198.51.100.7"),                          # only our proxies may forward
    ("127.0.0.1", "garbage, 10.0.0.5", "10.0.0.5"),
    ("127.0.0.1", "x" * 5000, "127.0.0.1"),
    ("", "198.51.100.7", "0.0.0.0"),
])
def test_client_address(remote, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@override_settings(EWTTO_TRUSTED_PROXIES=["127.0.0.0/8"])
def test_only_configured_proxies_are_trusted():
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.5")
    assert client_address(request) == "10.0.0.5"


def test_guessing_the_old_password_counts_towards_the_lockout(make_user, login, bearer, address):
    user = make_user()
    api = bearer(login(user.username).json()["access"])
    answers = [api.post("/api/auth/me/password/", {"old_password": f"guess{i}", "new_password": "An0ther-long-pass"},
                        format="json", HTTP_X_FORWARDED_FOR=address).status_code for i in range(USER_LIMIT)]
    assert answers == [400] * (USER_LIMIT - 1) + [429]
    assert login(user.username).status_code == 429
