"""Bad input to every auth endpoint: wrong types, huge strings, missing fields, SQL-looking strings -> 400/401."""
import json

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("known_branches")]

HUGE = "a" * 200_000
SQL = "admin' OR '1'='1' --"
WEIRD_VALUES = [None, 123, 1.5, True, [], ["a"], {}, {"$gt": ""}, HUGE, SQL, "", " ", "\x00", "ñandú😀", "\ud800"]


def bodies(fields: dict) -> list:
    """Each field missing, then each field replaced by each weird value, then non-object bodies."""
    cases = [{k: v for k, v in fields.items() if k != name} for name in fields]
    cases += [{**fields, name: weird} for name in fields for weird in WEIRD_VALUES]
    return cases + [{}, [], "text", 42, None]


def post_raw(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def assert_refused(answer, allowed=(400, 401)):
    assert answer.status_code in allowed, (answer.status_code, answer.content[:300])
    body = answer.json()
    assert body["code"] and body["detail"]


@override_settings(AXES_FAILURE_LIMIT=10_000, EWTTO_LOCKOUT_ADDRESS_FAILURES=10_000)  # lockouts are tested elsewhere
def test_token_endpoint(client, make_user):
    make_user(username="admin", password="Correct-Horse-42-battery")
    for body in bodies({"username": "admin", "password": "not-it"}):
        assert_refused(post_raw(client, "/api/auth/token/", body))


def test_token_endpoint_broken_json_and_wrong_media_type(client):
    assert_refused(client.post("/api/auth/token/", "{not json", content_type="application/json"))
    answer = client.post("/api/auth/token/", {"username": "a", "password": "b"})  # form-encoded
    assert answer.status_code == 415 and answer.json()["code"] == "unsupported_media_type"


def test_refresh_endpoint(client):
    for body in bodies({"refresh": "x.y.z"}):
        assert_refused(post_raw(client, "/api/auth/token/refresh/", body))


def test_logout_endpoint(make_user, login, bearer):
    api = bearer(login(make_user().username).json()["access"])
    for body in bodies({"refresh": "x.y.z"}):
        assert_refused(api.post("/api/auth/logout/", json.dumps(body), content_type="application/json"))


def test_a_refresh_token_of_whitespace_is_an_invalid_token_not_a_blank_field(make_user, login, bearer, client):
    api = bearer(login(make_user().username).json()["access"])
    for path, caller in (("/api/auth/logout/", api), ("/api/auth/token/refresh/", client)):
        answer = caller.post(path, json.dumps({"refresh": "\u001e"}), content_type="application/json")
        assert answer.status_code == 401, (path, answer.content)


@override_settings(AXES_FAILURE_LIMIT=10_000, EWTTO_LOCKOUT_ADDRESS_FAILURES=10_000)
def test_password_change_endpoint(make_user, login, bearer):
    api = bearer(login(make_user().username).json()["access"])
    for body in bodies({"old_password": "Correct-Horse-42-battery", "new_password": "An0ther-long-pass"}):
        answer = api.post("/api/auth/me/password/", json.dumps(body), content_type="application/json")
        if answer.status_code == 204:  # a weird value that happens to be a valid new password
            assert body.get("old_password") == "Correct-Horse-42-battery"
            break
        assert_refused(answer, allowed=(400,))


def test_user_create_endpoint(admin_api):
    base = {"username": "valid", "password": "Una-clave-larga-9", "email": "v@example.com", "role": "cashier",
            "branches": [1]}
    created = 0
    for body in bodies(base):
        answer = admin_api.post("/api/auth/users/", json.dumps(body), content_type="application/json")
        if answer.status_code == 201:  # optional fields may be dropped or blanked; the username is then taken
            created += 1
            continue
        assert_refused(answer, allowed=(400,))
    assert created >= 1


def test_user_update_endpoint(admin_api, make_user):
    user = make_user()
    fields = {"email": "a@example.com", "role": "cashier", "branches": [1], "is_active": True,
              "password": "Una-clave-larga-9", "first_name": "A"}
    for name in fields:
        for weird in WEIRD_VALUES:
            answer = admin_api.patch(f"/api/auth/users/{user.pk}/", json.dumps({name: weird}),
                                     content_type="application/json")
            assert answer.status_code in (200, 400), (name, weird, answer.status_code)
            if answer.status_code == 400:
                assert answer.json()["code"]


def test_user_list_filters(admin_api):
    for query in ("role=boss", "is_active=maybe", "branch=-1", "branch=abc", f"search={'x' * 500}",
                  f"search={SQL}", "page=abc", "page=99999", "page_size=-5"):
        answer = admin_api.get(f"/api/auth/users/?{query}")
        assert answer.status_code in (200, 400, 404), (query, answer.status_code)
        if answer.status_code != 200:
            assert answer.json()["code"]
    assert admin_api.get(f"/api/auth/users/?search={SQL}").json()["results"] == []


def test_me_with_odd_headers(client):
    for header in ("Bearer " + HUGE[:8000], "Bearer \u00e9\u00e9", "Bearer " + SQL.replace(" ", ""), "Bearer ..."):
        assert_refused(client.get("/api/auth/me/", HTTP_AUTHORIZATION=header), allowed=(401,))


@pytest.mark.parametrize("raw", ["[" * 5000, '{"a":' * 5000, "[" * 65 + "]" * 65, '{"username": NaN}'])
def test_a_body_nested_past_the_bound_or_not_json_is_a_400_parse_error(client, raw):
    answer = client.post("/api/auth/token/", raw, content_type="application/json")
    assert answer.status_code == 400, answer.content[:200]
    assert answer.json()["code"] == "parse_error"
