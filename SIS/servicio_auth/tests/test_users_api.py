"""User management for admins: list, create, read, change, disable; everyone else gets 403."""
import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("known_branches")]


def new_user(**extra) -> dict:
    return {"username": "nueva", "password": "Una-clave-larga-9", "email": "n@example.com", "role": "cashier",
            "branches": [1], **extra}


@pytest.mark.parametrize("role", ["manager", "cashier", "warehouse", "auditor", "purchaser"])
def test_only_admins_manage_users(role, make_user, login, bearer):
    user = make_user(role)
    api = bearer(login(user.username).json()["access"])
    for answer in (api.get("/api/auth/users/"), api.get(f"/api/auth/users/{user.pk}/"),
                   api.post("/api/auth/users/", new_user(), format="json"),
                   api.patch(f"/api/auth/users/{user.pk}/", {"role": "admin"}, format="json")):
        assert answer.status_code == 403
        assert answer.json()["code"] == "permission_denied"


def test_admin_creates_lists_reads_and_changes_a_user(admin_api, login):
    created = admin_api.post("/api/auth/users/", new_user(first_name="Nora"), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert {k: body[k] for k in ("username", "role", "branches", "is_staff", "is_active", "first_name")} == {
        "username": "nueva", "role": "cashier", "branches": [1], "is_staff": False, "is_active": True,
        "first_name": "Nora"}
    assert "password" not in body
    listed = admin_api.get("/api/auth/users/?role=cashier").json()
    assert set(listed) >= {"results", "next", "previous"}
    assert [u["username"] for u in listed["results"]] == ["nueva"]
    assert admin_api.get("/api/auth/users/?branch=1").json()["results"][0]["id"] == body["id"]
    assert admin_api.get(f"/api/auth/users/{body['id']}/").json()["email"] == "n@example.com"
    changed = admin_api.patch(f"/api/auth/users/{body['id']}/", {"role": "manager", "branches": [2, 3]}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["role"], changed.json()["branches"]) == ("manager", [2, 3])
    assert login("nueva", "Una-clave-larga-9").status_code == 200


def test_a_purchaser_is_made_for_branches_and_signs_in_with_that_role(admin_api, login):
    created = admin_api.post("/api/auth/users/", new_user(username="compradora", role="purchaser", branches=[1, 2]),
                             format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["role"], created.json()["branches"], created.json()["is_staff"]) == \
        ("purchaser", [1, 2], False)
    assert login("compradora", "Una-clave-larga-9").status_code == 200
    refused = admin_api.post("/api/auth/users/", new_user(username="x", role="buyer"), format="json")
    assert refused.status_code == 400 and "role" in refused.json()


def test_disabling_a_user_stops_sign_in_and_refresh(admin_api, make_user, login, client):
    user = make_user()
    pair = login(user.username).json()
    answer = admin_api.patch(f"/api/auth/users/{user.pk}/", {"is_active": False}, format="json")
    assert answer.status_code == 200 and answer.json()["is_active"] is False
    assert login(user.username).status_code == 401
    assert client.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]},
                       content_type="application/json").status_code == 401
    assert admin_api.patch(f"/api/auth/users/{user.pk}/", {"is_active": True}, format="json").status_code == 200
    assert login(user.username).status_code == 200


def test_admin_resets_a_password(admin_api, make_user, login):
    user = make_user()
    assert admin_api.patch(f"/api/auth/users/{user.pk}/", {"password": "short"}, format="json").status_code == 400
    assert admin_api.patch(f"/api/auth/users/{user.pk}/", {"password": "Reset-pass-2024x"},
                           format="json").status_code == 200
    assert login(user.username, "Reset-pass-2024x").status_code == 200


@pytest.mark.parametrize(("body", "field"), [
    (new_user(role="cashier", branches=[]), "branches"),
    (new_user(role="boss"), "role"),
    (new_user(password="password"), "password"),
    (new_user(password="12345678901234"), "password"),
    (new_user(username="carlosmendez", password="carlosmendez1"), "password"),
    (new_user(username="bad name!"), "username"),
    (new_user(email="not-an-email"), "email"),
    (new_user(branches=[0]), "branches"),
    (new_user(branches="1"), "branches"),
    (new_user(branches=list(range(1, 1100))), "branches"),
])
def test_invalid_users_are_refused_with_field_messages(body, field, admin_api):
    answer = admin_api.post("/api/auth/users/", body, format="json")
    assert answer.status_code == 400
    assert field in answer.json(), answer.json()


def test_duplicate_username_is_400_whatever_its_case(admin_api):
    assert admin_api.post("/api/auth/users/", new_user(), format="json").status_code == 201
    again = admin_api.post("/api/auth/users/", new_user(username="NUEVA"), format="json")
    assert again.status_code == 400 and "username" in again.json()


def test_an_admin_cannot_demote_or_disable_themselves(admin_api, admin_user):
    for change in ({"role": "cashier", "branches": [1]}, {"is_active": False}):
        answer = admin_api.patch(f"/api/auth/users/{admin_user.pk}/", change, format="json")
        assert answer.status_code == 400 and answer.json()["code"] == "own_account"


def test_becoming_admin_drops_branch_scopes(admin_api, make_user):
    user = make_user("cashier", [1, 2])
    answer = admin_api.patch(f"/api/auth/users/{user.pk}/", {"role": "auditor"}, format="json")
    assert (answer.json()["branches"], answer.json()["is_staff"]) == ([], True)


def test_unknown_user_and_unsupported_methods(admin_api):
    assert admin_api.get("/api/auth/users/999999999/").status_code == 404
    assert admin_api.get("/api/auth/users/abc/").status_code == 404
    assert admin_api.patch("/api/auth/users/999999999/", {"role": "admin"}, format="json").status_code == 404
    assert admin_api.delete("/api/auth/users/1/").status_code == 405


def test_branches_sent_for_an_admin_or_auditor_are_dropped(admin_api):
    answer = admin_api.post("/api/auth/users/", new_user(role="auditor", branches=[1, 2]), format="json")
    assert answer.status_code == 201
    assert (answer.json()["branches"], answer.json()["is_staff"]) == ([], True)


def test_a_branch_given_to_a_user_must_exist(admin_api, monkeypatch):
    monkeypatch.delenv("EWTTO_SUCURSALES_URL", raising=False)  # beyond the known ones, nothing answers: 503
    answer = admin_api.post("/api/auth/users/", new_user(branches=[1, 10]), format="json")
    assert answer.status_code == 503 and answer.json()["code"] == "service_unavailable"
    assert admin_api.get("/api/auth/users/?search=nueva").json()["results"] == []
