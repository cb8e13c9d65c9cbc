"""The authenticated caller as the token describes it: id, role and branch scope."""
from __future__ import annotations

from functools import cached_property

from rest_framework_simplejwt.models import TokenUser

ALL_BRANCHES_ROLES = frozenset({"admin", "auditor"})


class Principal(TokenUser):
    @cached_property
    def role(self) -> str:
        return self.token.get("role", "")

    @cached_property
    def branches(self) -> frozenset[int]:
        return frozenset(int(b) for b in self.token.get("branches", []) if str(b).isdigit())

    @property
    def all_branches(self) -> bool:
        return self.role in ALL_BRANCHES_ROLES

    def may_act_on(self, branch_id: int) -> bool:
        return self.all_branches or int(branch_id) in self.branches
