"""servicio_auth's own admin: staff roles sign in with their password; auditors look and change nothing."""
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def admin_login(client, username):
    return client.post("/admin/auth/login/?next=/admin/auth/", {"username": username, "password": PASSWORD},
                       HTTP_X_FORWARDED_FOR="203.0.113.200")


def test_admin_signs_in_and_manages_users(make_user, client):
    admin = make_user("admin")
    assert admin_login(client, admin.username).status_code == 302
    assert client.get("/admin/auth/accounts/user/").status_code == 200
    assert client.get(f"/admin/auth/accounts/user/{admin.pk}/change/").status_code == 200


@pytest.mark.parametrize("role", ["manager", "cashier", "warehouse", "purchaser"])
def test_non_staff_roles_are_refused(role, make_user, client):
    page = admin_login(client, make_user(role).username)
    assert page.status_code == 200  # the form again, with its error
    assert client.get("/admin/auth/").status_code == 302


def test_auditor_views_but_cannot_change(make_user, client):
    auditor = make_user("auditor")
    other = make_user("cashier")
    assert admin_login(client, auditor.username).status_code == 302
    assert client.get("/admin/auth/accounts/user/").status_code == 200
    assert client.get(f"/admin/auth/accounts/user/{other.pk}/change/").status_code == 200  # the read-only view
    refused = client.post(f"/admin/auth/accounts/user/{other.pk}/change/",
                          {"username": other.username, "role": "admin"})
    assert refused.status_code == 403
    assert client.get("/admin/auth/accounts/user/add/").status_code == 403
    other.refresh_from_db(using="default")
    assert other.role == "cashier"
    assert auditor.has_perm("accounts.view_user") and not auditor.has_perm("accounts.change_user")


def test_admin_adds_a_user_and_disabling_one_ends_its_refresh_tokens(make_user, client, login):
    from accounts.models import User

    admin = make_user("admin")
    assert admin_login(client, admin.username).status_code == 302
    assert client.get("/admin/auth/accounts/user/add/").status_code == 200
    added = client.post("/admin/auth/accounts/user/add/", {
        "username": "desde-admin", "role": "warehouse", "password1": "Una-clave-larga-9",
        "password2": "Una-clave-larga-9", "usable_password": "true",
        "branch_scopes-TOTAL_FORMS": "1", "branch_scopes-INITIAL_FORMS": "0",
        "branch_scopes-0-branch_id": "4"})
    assert added.status_code == 302, added.content[:500]
    user = User.objects.get(username="desde-admin")
    assert (user.role, user.branch_list(), user.is_staff) == ("warehouse", [4], False)

    refresh = login("desde-admin", "Una-clave-larga-9").json()["refresh"]
    changed = client.post(f"/admin/auth/accounts/user/{user.pk}/change/", {
        "username": "desde-admin", "role": "warehouse", "is_active": "", "first_name": "", "last_name": "",
        "email": "", "branch_scopes-TOTAL_FORMS": "1", "branch_scopes-INITIAL_FORMS": "1",
        "branch_scopes-0-id": str(user.branch_scopes.get().pk), "branch_scopes-0-user": str(user.pk),
        "branch_scopes-0-branch_id": "4"})
    assert changed.status_code == 302, changed.content[:800]
    assert client.post("/api/auth/token/refresh/", {"refresh": refresh},
                       content_type="application/json").status_code == 401
