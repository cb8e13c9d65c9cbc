"""`ewtto_bootstrap`: the first admin, demo users once with their credentials printed once, never in production."""
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User

pytestmark = pytest.mark.django_db


def bootstrap(monkeypatch, *, password="First-admin-pass", demo="0") -> list[str]:
    monkeypatch.setenv("EWTTO_ADMIN_PASSWORD", password)
    monkeypatch.setenv("EWTTO_DEMO", demo)
    out = io.StringIO()
    call_command("ewtto_bootstrap", stdout=out)
    return out.getvalue().splitlines()


def test_creates_the_admin_once_and_keeps_a_changed_password(monkeypatch, login):
    assert bootstrap(monkeypatch) == ["admin user admin created"]
    admin = User.objects.get(username="admin")
    assert (admin.role, admin.is_staff, admin.is_superuser) == ("admin", True, True)
    assert login("admin", "First-admin-pass").status_code == 200
    admin.set_password("Changed-by-the-admin-1")
    admin.save()
    assert bootstrap(monkeypatch, password="First-admin-pass") == []
    assert login("admin", "Changed-by-the-admin-1").status_code == 200


def test_a_demoted_or_disabled_admin_is_restored(monkeypatch):
    bootstrap(monkeypatch)
    User.objects.filter(username="admin").update(role="cashier", is_active=False)
    bootstrap(monkeypatch)
    admin = User.objects.get(username="admin")
    assert (admin.role, admin.is_active, admin.is_superuser) == ("admin", True, True)


def test_demo_users_one_per_role_printed_only_when_created(monkeypatch, login):
    lines = bootstrap(monkeypatch, demo="1")
    demo = [re.fullmatch(r"demo user (\S+) role (\S+) password (\S+)", line) for line in lines[1:5]]
    assert all(demo) and len(demo) == 4
    roles = {m.group(2) for m in demo}
    assert roles == {"manager", "cashier", "warehouse", "auditor"}
    scopes = {"manager": [1, 2], "cashier": [1], "warehouse": [1], "auditor": []}
    for match in demo:
        user = User.objects.get(username=match.group(1))
        assert user.role == match.group(2)
        assert user.branch_list() == scopes[user.role]
        assert login(match.group(1), match.group(3)).status_code == 200
    assert bootstrap(monkeypatch, demo="1") == []


def test_demo_manager_and_admin_get_a_pin_printed_once(monkeypatch, settings):
    from accounts.pins import approval_check

    lines = bootstrap(monkeypatch, demo="1")
    pins = dict(re.fullmatch(r"demo user (\S+) POS PIN ([0-9]{4})", line).groups() for line in lines[5:])
    assert set(pins) == {"manager", "admin"}
    assert approval_check(username="manager", pin=pins["manager"], branch=2).role == "manager"
    assert approval_check(username="admin", pin=pins["admin"], branch=7).role == "admin"
    assert not User.objects.get(username="cashier").has_pin
    assert bootstrap(monkeypatch, demo="1") == []


def test_no_demo_users_without_the_flag(monkeypatch):
    bootstrap(monkeypatch, demo="0")
    assert list(User.objects.values_list("username", flat=True)) == ["admin"]


@override_settings(EWTTO_DEMO_ALLOWED=False)
def test_production_settings_refuse_demo_data(monkeypatch):
    with pytest.raises(CommandError, match="production"):
        bootstrap(monkeypatch, demo="1")
    assert not User.objects.exists()


def test_the_admin_needs_a_password_to_be_created(monkeypatch):
    with pytest.raises(CommandError, match="EWTTO_ADMIN_PASSWORD"):
        bootstrap(monkeypatch, password="")


def test_production_settings_module_forbids_demo_data():
    import ast
    from pathlib import Path

    source = (Path(__file__).resolve().parents[1] / "config" / "settings" / "production.py").read_text()
    assigned = {t.id: n.value for n in ast.parse(source).body if isinstance(n, ast.Assign) for t in n.targets
                if isinstance(t, ast.Name)}
    assert ast.literal_eval(assigned["EWTTO_DEMO_ALLOWED"]) is False
