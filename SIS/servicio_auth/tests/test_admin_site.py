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


@pytest.mark.parametrize("role", ["manager", "cashier", "warehouse"])
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
    refused = client.post(f"/admin/auth/accounts/user/{other.pk}/change/", {"username": other.username, "role": "admin"})
    assert refused.status_code == 403
    assert client.get("/admin/auth/accounts/user/add/").status_code == 403
    other.refresh_from_db()
    assert other.role == "cashier"
    assert auditor.has_perm("accounts.view_user") and not auditor.has_perm("accounts.change_user")
