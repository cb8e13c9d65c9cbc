"""Sign-in, refresh with rotation, logout and `me`: the token life cycle of servicio_auth."""
import re

import jwt
import pytest
from django.conf import settings

from accounts import services

pytestmark = pytest.mark.django_db


def claims_of(token: str) -> dict:
    return jwt.decode(token, settings.SIMPLE_JWT["VERIFYING_KEY"], algorithms=["RS256"])


def test_login_returns_a_pair_carrying_role_and_branches(make_user, login):
    user = make_user("cashier", [3, 1])
    answer = login(user.username)
    assert answer.status_code == 200
    access, refresh = claims_of(answer.json()["access"]), claims_of(answer.json()["refresh"])
    assert access["token_type"] == "access" and refresh["token_type"] == "refresh"
    assert (access["user_id"], access["role"], access["branches"]) == (user.pk, "cashier", [1, 3])
    assert access["exp"] - access["iat"] == 15 * 60
    assert refresh["exp"] - refresh["iat"] == 24 * 3600
    assert jwt.get_unverified_header(answer.json()["access"])["alg"] == "RS256"


def test_login_with_a_wrong_password_is_401_json(make_user, login):
    answer = login(make_user().username, "wrong-password")
    assert answer.status_code == 401
    assert answer.json()["code"] == "no_active_account"
    assert login("nobody-at-all").status_code == 401


def test_me_shows_the_signed_in_user(make_user, login, bearer):
    user = make_user("manager", [2, 5], email="m@example.com", first_name="Ana", last_name="Ruiz")
    me = bearer(login(user.username).json()["access"]).get("/api/auth/me/")
    assert me.status_code == 200
    assert me.json() == {"id": user.pk, "username": user.username, "email": "m@example.com", "first_name": "Ana",
                         "last_name": "Ruiz", "role": "manager", "branches": [2, 5], "is_staff": False,
                         "has_pin": False}


def test_admin_and_auditor_are_staff_and_act_on_every_branch(make_user, login, bearer):
    for role in ("admin", "auditor"):
        me = bearer(login(make_user(role).username).json()["access"]).get("/api/auth/me/").json()
        assert (me["role"], me["branches"], me["is_staff"]) == (role, [], True)


def test_refresh_rotates_and_the_old_refresh_is_rejected(make_user, login, client):
    first = login(make_user().username).json()
    rotated = client.post("/api/auth/token/refresh/", {"refresh": first["refresh"]}, content_type="application/json")
    assert rotated.status_code == 200
    assert set(rotated.json()) == {"access", "refresh"}
    assert rotated.json()["refresh"] != first["refresh"]
    again = client.post("/api/auth/token/refresh/", {"refresh": first["refresh"]}, content_type="application/json")
    assert again.status_code == 401
    assert again.json()["code"] == "token_not_valid"
    newer = client.post("/api/auth/token/refresh/", {"refresh": rotated.json()["refresh"]},
                        content_type="application/json")
    assert newer.status_code == 200


def test_refresh_carries_the_users_current_role_and_branches(make_user, login, client):
    user = make_user("cashier", [1])
    pair = login(user.username).json()
    services.user_update(user_id=user.pk, role="manager", branches=[2, 4])
    rotated = client.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, content_type="application/json")
    access = claims_of(rotated.json()["access"])
    assert (access["role"], access["branches"]) == ("manager", [2, 4])


def test_refresh_is_refused_for_a_disabled_user(make_user, login, client):
    user = make_user()
    pair = login(user.username).json()
    services.user_update(user_id=user.pk, is_active=False)
    answer = client.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, content_type="application/json")
    assert answer.status_code == 401
    assert answer.json()["code"] in {"token_not_valid", "user_inactive"}


def test_refresh_is_refused_for_a_disabled_user_even_with_unrevoked_token(make_user, login, client):
    from accounts.models import User

    user = make_user()
    pair = login(user.username).json()
    User.objects.filter(pk=user.pk).update(is_active=False)  # behind the services' back: no revocation
    answer = client.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, content_type="application/json")
    assert answer.status_code == 401
    assert answer.json()["code"] == "user_inactive"


def test_logout_kills_the_refresh_token(make_user, login, bearer):
    pair = login(make_user().username).json()
    api = bearer(pair["access"])
    assert api.post("/api/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 204
    dead = api.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert dead.status_code == 401
    # logging out twice is harmless
    assert api.post("/api/auth/logout/", {"refresh": pair["refresh"]}, format="json").status_code == 204


def test_logout_needs_an_access_token_and_the_callers_own_refresh(make_user, login, bearer, client):
    mine, theirs = login(make_user().username).json(), login(make_user().username).json()
    anonymous = client.post("/api/auth/logout/", {"refresh": mine["refresh"]}, content_type="application/json")
    assert anonymous.status_code == 401
    answer = bearer(mine["access"]).post("/api/auth/logout/", {"refresh": theirs["refresh"]}, format="json")
    assert answer.status_code == 403
    assert answer.json()["code"] == "token_not_owned"
    assert client.post("/api/auth/token/refresh/", {"refresh": theirs["refresh"]},
                       content_type="application/json").status_code == 200


def test_access_token_is_refused_where_a_refresh_is_expected(make_user, login, client):
    pair = login(make_user().username).json()
    answer = client.post("/api/auth/token/refresh/", {"refresh": pair["access"]}, content_type="application/json")
    assert answer.status_code == 401


def test_disabled_user_is_refused_by_me_at_once(make_user, login, bearer):
    user = make_user()
    api = bearer(login(user.username).json()["access"])
    services.user_update(user_id=user.pk, is_active=False)
    answer = api.get("/api/auth/me/")
    assert answer.status_code == 401
    assert answer.json()["code"] == "user_inactive"


def test_change_own_password_needs_the_old_one_and_ends_other_sessions(make_user, login, bearer, client):
    user = make_user()
    pair = login(user.username).json()
    api = bearer(pair["access"])
    wrong = api.post("/api/auth/me/password/", {"old_password": "nope", "new_password": "An0ther-long-pass"},
                     format="json")
    assert wrong.status_code == 400 and "old_password" in wrong.json()
    weak = api.post("/api/auth/me/password/", {"old_password": "Correct-Horse-42-battery", "new_password": "12345"},
                    format="json")
    assert weak.status_code == 400 and "password" in weak.json()
    done = api.post("/api/auth/me/password/", {"old_password": "Correct-Horse-42-battery",
                                                 "new_password": "An0ther-long-pass"}, format="json")
    assert done.status_code == 204
    assert login(user.username).status_code == 401
    assert login(user.username, "An0ther-long-pass").status_code == 200
    assert client.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]},
                       content_type="application/json").status_code == 401


def test_schema_is_served(client):
    assert client.get("/api/auth/schema/").status_code == 200


def test_the_schema_says_a_trimmed_string_needs_more_than_whitespace(client):
    components = client.get("/api/auth/schema/?format=json").json()["components"]["schemas"]
    sign_in = components["TokenObtainRequest"]["properties"]
    username = re.compile(sign_in["username"]["pattern"])
    # DRF trims username before its blank check, so a value of only what str.strip() removes
    # (\x1e included) must be invalid in the schema too; and DRF refuses a NUL in any string
    assert username.search("ana") and not username.search(" \u001e\t") and not username.search("a\x00")
    for untrimmed in (sign_in["password"], components["RefreshRequest"]["properties"]["refresh"]):
        taken_as_sent = re.compile(untrimmed["pattern"])
        assert taken_as_sent.search(" \u001e ") and not taken_as_sent.search("a\x00b")
    refused = client.post("/api/auth/token/", {"username": "\u001e", "password": "x"}, content_type="application/json")
    assert refused.status_code == 400 and "username" in refused.json()["fields"]
