"""Sessions die as a whole: a replayed refresh token, an absolute end, a new password, a disabled account."""
import logging
from datetime import timedelta

import jwt
import pytest
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from accounts.models import SessionFamily, User

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "An0ther-long-pass-9"


def refresh(client, token: str):
    return client.post("/api/auth/token/refresh/", {"refresh": token}, content_type="application/json")


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def age_rotations(seconds: int) -> None:
    BlacklistedToken.objects.update(blacklisted_at=timezone.now() - timedelta(seconds=seconds))


def test_a_replayed_rotated_refresh_token_kills_the_tokens_issued_after_it(make_user, login, client, caplog):
    # the thief's copy comes back after the owner rotated: nobody can tell who is who, so both lose
    stolen = login(make_user().username).json()["refresh"]
    owners = refresh(client, stolen).json()["refresh"]
    age_rotations(60)
    with caplog.at_level(logging.WARNING, logger="accounts.security"):
        replay = refresh(client, stolen)
    assert (replay.status_code, replay.json()["code"]) == (401, "token_not_valid")
    assert any(r.getMessage() == "refresh token reused: session revoked" for r in caplog.records)
    dead = refresh(client, owners)
    assert (dead.status_code, dead.json()["code"]) == (401, "token_not_valid")
    assert SessionFamily.objects.get(pk=claims_of(owners)["sid"]).revoked_reason == "refresh_reused"


def test_a_quick_retry_of_a_rotation_is_refused_without_killing_the_session(make_user, login, client):
    first = login(make_user().username).json()["refresh"]
    rotated = refresh(client, first).json()["refresh"]
    assert refresh(client, first).status_code == 401  # a double click, a client retry
    assert refresh(client, rotated).status_code == 200


def test_other_sessions_of_the_user_survive_a_replay_in_one(make_user, login, client):
    user = make_user()
    till, phone = login(user.username).json()["refresh"], login(user.username).json()["refresh"]
    refresh(client, till)
    age_rotations(60)
    refresh(client, till)
    assert refresh(client, phone).status_code == 200


def test_a_session_ends_at_its_absolute_end_however_often_it_is_refreshed(make_user, login, client, settings):
    pair = login(make_user().username).json()
    family = SessionFamily.objects.get(pk=claims_of(pair["refresh"])["sid"])
    assert family.ends_at - family.started_at == timedelta(seconds=settings.EWTTO_JWT_SESSION_SECONDS)
    # tokens never outlive the session
    assert claims_of(pair["refresh"])["exp"] <= family.ends_at.timestamp()
    rotated = refresh(client, pair["refresh"]).json()
    assert claims_of(rotated["refresh"])["sid"] == family.pk
    SessionFamily.objects.filter(pk=family.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    ended = refresh(client, rotated["refresh"])
    assert (ended.status_code, ended.json()["code"]) == (401, "token_not_valid")


def test_near_the_end_the_tokens_expire_with_the_session(make_user, login, client):
    pair = login(make_user().username).json()
    sid = claims_of(pair["refresh"])["sid"]
    end = timezone.now() + timedelta(seconds=120)
    SessionFamily.objects.filter(pk=sid).update(ends_at=end)
    rotated = refresh(client, pair["refresh"]).json()
    assert claims_of(rotated["refresh"])["exp"] <= end.timestamp() + 1
    assert claims_of(rotated["access"])["exp"] <= end.timestamp() + 1


def test_a_refresh_token_from_before_sessions_or_of_another_user_is_refused(make_user, login, client):
    from rest_framework_simplejwt.tokens import RefreshToken

    user, other = make_user(), make_user()
    legacy = RefreshToken.for_user(user)  # recorded, signed by our key, but no session
    assert refresh(client, str(legacy)).status_code == 401
    theirs = claims_of(login(other.username).json()["refresh"])["sid"]
    forged = RefreshToken.for_user(user)
    forged["sid"] = theirs
    assert refresh(client, str(forged)).status_code == 401


def test_logout_ends_the_session(make_user, login, bearer, client):
    pair = login(make_user().username).json()
    assert bearer(pair["access"]).post("/api/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 204
    assert SessionFamily.objects.get(pk=claims_of(pair["refresh"])["sid"]).revoked_reason == "logout"


def test_a_password_set_in_the_django_admin_ends_the_users_sessions(make_user, login, client, admin_browser):
    admin, victim = make_user("admin"), make_user()
    old = login(victim.username).json()["refresh"]
    browser = admin_browser(admin)
    form = browser.post(f"/admin/auth/accounts/user/{victim.pk}/password/",
                       {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert form.status_code == 302, form.content[:500]
    assert User.objects.get(pk=victim.pk).check_password(NEW_PASSWORD)
    answer = refresh(client, old)
    assert answer.status_code == 401


@pytest.mark.parametrize("change", ["password", "disable"])
def test_any_save_that_changes_the_password_or_disables_ends_sessions(make_user, login, client, change):
    # the admin's change form, a reset, manage.py changepassword: all end in User.save
    user = make_user()
    old = login(user.username).json()["refresh"]
    user = User.objects.get(pk=user.pk)
    if change == "password":
        user.set_password(NEW_PASSWORD)
    else:
        user.is_active = False
    user.save()
    assert refresh(client, old).status_code == 401


def test_a_profile_save_keeps_sessions(make_user, login, client):
    user = make_user()
    old = login(user.username).json()["refresh"]
    user = User.objects.get(pk=user.pk)
    user.first_name = "Ana"
    user.save()
    assert refresh(client, old).status_code == 200
