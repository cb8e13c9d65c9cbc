"""bin/seed-data's staff: one password for all, role rules kept, branch scopes, and a second run adds nothing."""
import pytest

from accounts.models import User
from seed.users import seed_users_ensure

pytestmark = pytest.mark.django_db
BRANCHES = [{"id": 701, "code": "SEED701"}, {"id": 702, "code": "SEED702"}]


def test_seeded_staff_can_sign_in_with_their_roles_and_scopes():
    users = seed_users_ensure(branches=BRANCHES, cashiers_per_branch=2, auditors=1, password="Seed-pass-9")
    by_name = {u["username"]: u for u in users}
    assert len(users) == 1 + 2 * (1 + 1 + 2)
    assert by_name["seed-cashier-seed702-2"]["branches"] == [702]
    assert by_name["seed-manager-seed701"]["role"] == "manager"
    assert by_name["seed-auditor-1"]["branches"] == []
    auditor = User.objects.get(username="seed-auditor-1")
    assert (auditor.is_staff, auditor.is_superuser) == (True, False)  # what User.save() would have set
    cashier = User.objects.get(username="seed-cashier-seed701-1")
    assert not cashier.is_staff
    assert cashier.check_password("Seed-pass-9")
    again = seed_users_ensure(branches=BRANCHES, cashiers_per_branch=2, auditors=1, password="other")
    assert sorted(u["id"] for u in again) == sorted(u["id"] for u in users)
    assert User.objects.get(username="seed-cashier-seed701-1").check_password("Seed-pass-9")
