"""A cashier filtering the sale list by another branch is refused, not answered with an empty page."""
import pytest

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def test_sale_list_for_a_branch_outside_scope_is_403(client_for):
    cashier = client_for("cashier", branches=[3])
    assert cashier.get("/api/sales/?branch=3").status_code == 200
    answer = cashier.get("/api/sales/?branch=4")
    assert answer.status_code == 403
    assert answer.json()["code"] == "branch_forbidden"
    assert client_for("auditor").get("/api/sales/?branch=4").status_code == 200
