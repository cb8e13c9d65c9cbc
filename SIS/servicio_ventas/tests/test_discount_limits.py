"""Who may give how much discount alone; above the limit the sale needs a manager (auth's PIN check: tests/system)."""
from decimal import Decimal as D

import pytest

from sales.discounts import discount_authorize, limit_for
from sis_common.errors import DomainError

LIMITS = {"cashier": "5.00", "manager": "50.00"}


@pytest.mark.parametrize(("role", "limit"), [("cashier", "5"), ("manager", "50"), ("admin", "100"),
                                             ("warehouse", "0"), ("auditor", "0")])
def test_limit_per_role(role, limit):
    assert limit_for(role, LIMITS) == D(limit)


@pytest.mark.parametrize(("role", "effective"), [("cashier", "0"), ("cashier", "5"), ("manager", "50"),
                                                 ("admin", "100")])
def test_within_the_limit_nobody_is_asked(role, effective, monkeypatch):
    monkeypatch.delenv("EWTTO_AUTH_URL", raising=False)
    assert discount_authorize(role=role, effective=D(effective), limits=LIMITS, approval=None, branch_id=1) is None


@pytest.mark.parametrize(("role", "effective", "limit"), [("cashier", "5.01", "5.00"), ("cashier", "30", "5.00"),
                                                          ("manager", "50.005", "50.00")])
def test_above_the_limit_without_approval_is_403(role, effective, limit, monkeypatch):
    monkeypatch.delenv("EWTTO_AUTH_URL", raising=False)
    with pytest.raises(DomainError) as refused:
        discount_authorize(role=role, effective=D(effective), limits=LIMITS, approval=None, branch_id=1)
    assert (refused.value.status_code, refused.value.get_codes()) == (403, "discount_needs_approval")
    assert refused.value.extra["limit"] == limit


def test_an_approval_is_checked_with_auth(monkeypatch):
    monkeypatch.delenv("EWTTO_AUTH_URL", raising=False)
    with pytest.raises(DomainError) as refused:
        discount_authorize(role="cashier", effective=D("30"), limits=LIMITS,
                           approval={"username": "boss", "pin": "1234"}, branch_id=1)
    assert refused.value.status_code == 503  # asked, and auth is not there
