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
    # the right password does not get through while locked from this address ...
    assert login(user.username).status_code == 429
    # ... but the user signing in from an address that has not failed still gets in
    assert login(user.username, from_address="203.0.113.9").status_code == 200


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


def test_spellings_the_database_takes_for_the_same_user_count_as_one(make_user, login):
    # utf8mb4_unicode_ci signs "ÁLVARO", "alvaro " and "a\u200blvaro" in as álvaro: so they must count as álvaro
    user = make_user(username="álvaro")
    spellings = ["ÁLVARO", "alvaro", "Álvaro ", "a\u200blvaro", "ALVARO"]
    assert [login(name).status_code for name in spellings[:1]] == [200]  # the database does match them
    assert [login(name, "wrong-password").status_code for name in spellings] == [401] * (USER_LIMIT - 1) + [429]
    assert login(user.username).status_code == 429


def test_rotating_addresses_gets_one_guess_per_address_once_the_username_is_under_attack(make_user, login):
    user = make_user()
    total = settings.EWTTO_LOCKOUT_USERNAME_FAILURES
    # a botnet: each address stays under the per-address limit
    answers = [login(user.username, "wrong-password", from_address=f"192.0.2.{i // 2 + 1}").status_code
               for i in range(total)]
    assert answers == [401] * (total - 1) + [429]
    # from now on an address that has failed is refused, even with the right password ...
    assert login(user.username, from_address="192.0.2.1").status_code == 429
    # ... a new attacking address gets a single guess, after which even the right password is refused ...
    assert login(user.username, "wrong-password", from_address="198.18.0.1").status_code == 429
    assert login(user.username, from_address="198.18.0.1").status_code == 429
    # ... and the user at a clean address signs in
    assert login(user.username, from_address="198.18.7.7").status_code == 200


def test_forged_forwarded_for_from_outside_our_hops_does_not_rotate_the_address(make_user, client):
    # a client talking to the service directly (not through our loopback hops) cannot pick its address
    user = make_user()
    statuses = [client.post("/api/auth/token/", {"username": user.username, "password": "bad"},
                            content_type="application/json", REMOTE_ADDR="198.51.100.200",
                            HTTP_X_FORWARDED_FOR=f"10.9.{i}.1").status_code for i in range(USER_LIMIT)]
    assert statuses == [401] * (USER_LIMIT - 1) + [429]


def test_an_address_spraying_many_usernames_locks_that_address_for_usernames_new_to_it(make_user, login):
    till, newcomer = make_user(), make_user()
    assert login(till.username, from_address="203.0.113.50").status_code == 200  # the shop's till, yesterday
    for i in range(settings.EWTTO_LOCKOUT_ADDRESS_FAILURES):
        login(f"guess{i}", "wrong-password", from_address="203.0.113.50")
    assert login(f"guess{i + 1}", "wrong-password", from_address="203.0.113.50").status_code == 429
    assert login(newcomer.username, from_address="203.0.113.50").status_code == 429
    # the users who sign in from there keep signing in, the admin too; elsewhere nothing changed
    assert login(till.username, from_address="203.0.113.50").status_code == 200
    assert login(newcomer.username, from_address="203.0.113.51").status_code == 200


def test_a_success_clears_the_users_own_failures_at_that_address_only(make_user, login):
    user = make_user()
    fail(login, user.username, USER_LIMIT - 1)
    fail(login, user.username, 3, from_address="203.0.113.60")
    assert login(user.username).status_code == 200
    assert fail(login, user.username, USER_LIMIT - 1) == [401] * (USER_LIMIT - 1)
    assert AccessAttempt.objects.get(username=user.username, ip_address="203.0.113.60").failures_since_start == 3


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
