"""POS PINs and /internal/approvals/: hashed and never shown, set by the user or an admin; one refusal for
every reason an approval fails, and the lockout after repeated failures."""
import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import PinFailure, User
from sis_common.testing.internal import caller_credentials

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
APPROVALS = "/internal/approvals/"


@pytest.fixture
def ventas():
    client = APIClient()
    client.credentials(**caller_credentials("ventas"))
    return client


def approve(ventas, username, pin, branch=1):
    return ventas.post(APPROVALS, {"username": username, "pin": pin, "branch": branch}, format="json")


def test_admin_sets_a_pin_stored_hashed_and_never_answered(admin_api, make_user, known_branches):
    created = admin_api.post("/api/auth/users/", {"username": "mgr-pin", "password": PASSWORD, "role": "manager",
                                                  "branches": [1], "pin": "4321"}, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["has_pin"] is True and "pin" not in body
    user = User.objects.get(username="mgr-pin")
    assert user.pin and "4321" not in user.pin and user.pin.startswith("md5$")  # the test settings' hasher
    plain = make_user("manager")
    assert admin_api.get(f"/api/auth/users/{plain.pk}/").json()["has_pin"] is False
    changed = admin_api.patch(f"/api/auth/users/{plain.pk}/", {"pin": "12345678"}, format="json")
    assert changed.status_code == 200 and changed.json()["has_pin"] is True and "pin" not in changed.json()
    for listed in admin_api.get("/api/auth/users/?page_size=200").json()["results"]:
        assert "pin" not in listed


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", " 1234", "١٢٣٤", 1234, ""])
def test_a_pin_is_4_to_8_ascii_digits(admin_api, make_user, pin):
    user = make_user("manager")
    response = admin_api.patch(f"/api/auth/users/{user.pk}/", {"pin": pin}, format="json")
    assert response.status_code == 400
    assert "pin" in response.json()["fields"]
    assert not User.objects.get(pk=user.pk).has_pin


def test_a_user_sets_their_own_pin_with_their_password(make_user, login, bearer, address):
    user = make_user("manager")
    api = bearer(login(user.username).json()["access"])
    assert api.get("/api/auth/me/").json()["has_pin"] is False
    wrong = api.post("/api/auth/me/pin/", {"password": "not-the-password", "pin": "2468"}, format="json",
                     HTTP_X_FORWARDED_FOR=address)
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "wrong_password"
    assert not User.objects.get(pk=user.pk).has_pin
    bad_pin = api.post("/api/auth/me/pin/", {"password": PASSWORD, "pin": "24"}, format="json")
    assert bad_pin.status_code == 400 and "pin" in bad_pin.json()["fields"]
    done = api.post("/api/auth/me/pin/", {"password": PASSWORD, "pin": "2468"}, format="json",
                    HTTP_X_FORWARDED_FOR=address)
    assert done.status_code == 204
    me = api.get("/api/auth/me/").json()
    assert me["has_pin"] is True and "pin" not in me
    # the PIN change does not end the session (it is no password)
    assert api.get("/api/auth/me/").status_code == 200


def test_setting_your_own_pin_needs_a_token():
    assert APIClient().post("/api/auth/me/pin/", {"password": "x", "pin": "1234"}, format="json").status_code == 401


def test_manager_of_the_branch_approves(make_user, ventas):
    make_user("manager", [1, 2], username="ana", first_name="Ana", last_name="Quispe", pin="1357")
    response = approve(ventas, "ana", "1357", branch=2)
    assert response.status_code == 200, response.content
    user = User.objects.get(username="ana")
    assert response.json() == {"user_id": user.pk, "username": "ana", "full_name": "Ana Quispe", "role": "manager"}


def test_admin_approves_on_every_branch_and_an_empty_name_is_the_username(make_user, ventas):
    make_user("admin", username="boss", pin="86420")
    body = approve(ventas, "boss", "86420", branch=99).json()
    assert (body["role"], body["full_name"]) == ("admin", "boss")


def refusals(make_user):
    make_user("manager", [1], username="mgr1", pin="1111")
    make_user("cashier", [1], username="cash1", pin="2222")
    make_user("warehouse", [1], username="ware1", pin="3333")
    make_user("auditor", username="audit1", pin="4444")
    gone = make_user("manager", [1], username="gone1", pin="5555")
    gone.is_active = False
    gone.save()
    make_user("manager", [1], username="nopin1")
    return [("mgr1", "1112", 1), ("mgr1", "1111", 2), ("cash1", "2222", 1), ("ware1", "3333", 1),
            ("audit1", "4444", 1), ("gone1", "5555", 1), ("nopin1", "0000", 1),
            ("nobody", "1111", 1)]


def test_every_refusal_is_the_same_403(make_user, ventas):
    answers = set()
    for username, pin, branch in refusals(make_user):
        response = approve(ventas, username, pin, branch)
        assert response.status_code == 403, (username, response.content)
        answers.add(response.content)
    assert len(answers) == 1
    assert b"approval_invalid" in answers.pop()


@override_settings(EWTTO_PIN_FAILURES=5, EWTTO_PIN_WINDOW_SECONDS=900)
def test_five_failures_lock_the_username_until_the_window_passes(make_user, ventas):
    make_user("manager", [1], username="Lucia", pin="9090")
    make_user("manager", [1], username="other", pin="8080")
    for _ in range(5):
        assert approve(ventas, "lucia", "0000").status_code == 403
    locked = approve(ventas, "Lucia", "9090")  # the right PIN too, in any case of the name
    assert locked.status_code == 429
    assert locked.json()["code"] == "approval_locked"
    assert 0 < locked.json()["retry_after_seconds"] <= 900
    assert approve(ventas, "other", "8080").status_code == 200  # per username
    # once the failures are older than the window, the right PIN passes again and clears them
    PinFailure.objects.update(failed_at=timezone.now() - timezone.timedelta(seconds=901))
    assert approve(ventas, "lucia", "").status_code == 400  # malformed: not counted
    assert approve(ventas, "lucia", "0001").status_code == 403  # a new failure; the old ones are gone
    assert PinFailure.objects.filter(username="lucia").count() == 1
    assert approve(ventas, "Lucia", "9090").status_code == 200
    assert not PinFailure.objects.filter(username="lucia").exists()


def test_a_success_clears_the_failures(make_user, ventas):
    make_user("manager", [1], username="pedro", pin="7070")
    for _ in range(4):
        approve(ventas, "pedro", "0000")
    assert approve(ventas, "pedro", "7070").status_code == 200
    for _ in range(4):
        assert approve(ventas, "pedro", "0000").status_code == 403
    assert approve(ventas, "pedro", "7070").status_code == 200


@pytest.mark.parametrize("body", [
    {"username": "x", "pin": "1234"},
    {"username": "x", "pin": "1234", "branch": 0},
    {"username": "x", "pin": "1234", "branch": "one"},
    {"username": "x" * 151, "pin": "1234", "branch": 1},
    {"pin": "1234", "branch": 1},
])
def test_malformed_approvals_are_400(ventas, body):
    response = ventas.post(APPROVALS, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_only_ventas_asks_for_approvals(make_user, admin_api):
    make_user("manager", [1], username="mgr9", pin="1212")
    body = {"username": "mgr9", "pin": "1212", "branch": 1}
    assert APIClient().post(APPROVALS, body, format="json").status_code == 401
    assert admin_api.post(APPROVALS, body, format="json").status_code == 401
    assert APIClient().post(APPROVALS, body, format="json", **caller_credentials("gateway")).status_code == 403
    assert APIClient().post(APPROVALS, body, format="json", **caller_credentials("ventas")).status_code == 200


def test_the_access_token_names_the_user(make_user, login):
    import jwt

    make_user("cashier", username="rosa", first_name="Rosa", last_name="Huamán")
    make_user("cashier", username="plain")
    assert jwt.decode(login("rosa").json()["access"], options={"verify_signature": False})["name"] == "Rosa Huamán"
    assert jwt.decode(login("plain").json()["access"], options={"verify_signature": False})["name"] == "plain"


def test_no_pin_reaches_the_audit_trail_or_the_logs(admin_api, make_user, login, bearer, address, ventas, caplog,
                                                    known_branches):
    import json

    from sis_common.audit.models import AuditEvent

    admin_api.post("/api/auth/users/", {"username": "aud-pin", "password": PASSWORD, "role": "manager",
                                        "branches": [1], "pin": "918273"}, format="json")
    user = make_user("manager")
    admin_api.patch(f"/api/auth/users/{user.pk}/", {"pin": "564738"}, format="json")
    own = bearer(login(user.username).json()["access"])
    assert own.post("/api/auth/me/pin/", {"password": PASSWORD, "pin": "192837"}, format="json",
                    HTTP_X_FORWARDED_FOR=address).status_code == 204
    approve(ventas, user.username, "192837")
    approve(ventas, user.username, "000000")
    trail = json.dumps([[e.summary, e.changes] for e in AuditEvent.objects.using("default").all()])
    assert "aud-pin" in trail  # the writes are there ...
    for pin in ("918273", "564738", "192837"):  # ... their PINs are not
        assert pin not in trail and pin not in caplog.text
