"""Role and branch scope as every service reads them from the token (sis_common.auth)."""
import pytest
from rest_framework.exceptions import PermissionDenied
from rest_framework.test import APIRequestFactory

from sis_common.auth.permissions import AdminOnly, ReadAnyWriteRoles, RolesOnly, require_branch, visible_branches
from sis_common.auth.principal import Principal
from sis_common.testing.forged import claims


def principal(role: str, branches=None, **extra) -> Principal:
    return Principal({**claims(role=role, branches=branches), **extra})


class Request:
    def __init__(self, user, method="GET"):
        self.user, self.method = user, method


class View:
    write_roles = ("admin", "manager", "auditor")  # an auditor listed by mistake still may not write
    allowed_roles = ("admin", "manager")


@pytest.mark.parametrize(("role", "branches", "branch", "allowed"), [
    ("cashier", [3], 3, True),
    ("cashier", [3], 4, False),
    ("manager", [1, 2], "2", True),
    ("warehouse", [1], "1.0", False),
    ("cashier", [1], True, False),
    ("cashier", [1], None, False),
    ("admin", [], 99, True),
    ("auditor", [], 99, True),
    ("admin", [], "abc", False),
])
def test_may_act_on(role, branches, branch, allowed):
    assert principal(role, branches).may_act_on(branch) is allowed


def test_malformed_claims_grant_nothing():
    assert principal("cashier", "12").branches == frozenset()
    assert principal("cashier", [1, "2", "x", -3, True, 1.5]).branches == frozenset({1, 2})
    assert principal("root").role == ""
    assert not principal("root", [1]).may_act_on(2)


def test_require_branch_raises_403_with_a_code():
    request = Request(principal("cashier", [3]))
    require_branch(request, 3)
    with pytest.raises(PermissionDenied) as refused:
        require_branch(request, 4)
    assert refused.value.get_codes() == "branch_forbidden"
    assert visible_branches(request) == frozenset({3})
    assert visible_branches(Request(principal("auditor"))) is None


@pytest.mark.parametrize(("role", "method", "allowed"), [
    ("auditor", "GET", True), ("auditor", "POST", False), ("auditor", "PATCH", False),
    ("cashier", "GET", True), ("cashier", "POST", False),
    ("manager", "POST", True), ("admin", "DELETE", True),
])
def test_read_any_write_roles(role, method, allowed):
    assert ReadAnyWriteRoles().has_permission(Request(principal(role), method), View()) is allowed


def test_admin_only_and_roles_only():
    for role in ("manager", "cashier", "warehouse", "auditor"):
        assert not AdminOnly().has_permission(Request(principal(role)), View())
    assert AdminOnly().has_permission(Request(principal("admin")), View())
    assert RolesOnly().has_permission(Request(principal("manager")), View())
    assert not RolesOnly().has_permission(Request(principal("auditor")), View())


def test_anonymous_gets_nothing():
    from django.contrib.auth.models import AnonymousUser

    request = APIRequestFactory().get("/")
    request.user = AnonymousUser()
    assert not ReadAnyWriteRoles().has_permission(request, View())
    assert not AdminOnly().has_permission(request, View())
