"""The authenticated caller as the token describes it: id, role and branch scope."""
from __future__ import annotations

from functools import cached_property

from rest_framework_simplejwt.models import TokenUser

from .roles import ALL_BRANCHES_ROLES, ROLES


def positive_id(value) -> int | None:
    """A positive integer ID from an int or a string of ASCII digits, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 18:
        value = int(value)
    return value if isinstance(value, int) and value > 0 else None


as_branch_id = positive_id


def branch_ids(value) -> frozenset[int]:
    """Branch IDs from a claim; anything but a list of positive integers counts for nothing."""
    if not isinstance(value, (list, tuple)):
        return frozenset()
    return frozenset(b for b in map(as_branch_id, value) if b is not None)


class Principal(TokenUser):
    @cached_property
    def role(self) -> str:
        role = self.token.get("role", "")
        return role if role in ROLES else ""

    @cached_property
    def branches(self) -> frozenset[int]:
        return branch_ids(self.token.get("branches", []))

    @cached_property
    def full_name(self) -> str:
        """What a receipt prints for this user: the token's `name` (first and last name, else the username)."""
        name = self.token.get("name")
        return name if isinstance(name, str) and name else str(self.token.get("username", ""))

    @property
    def all_branches(self) -> bool:
        return self.role in ALL_BRANCHES_ROLES

    def may_act_on(self, branch_id) -> bool:
        """True when the token covers the branch; a malformed ID is covered by nobody."""
        number = as_branch_id(branch_id)
        return number is not None and (self.all_branches or number in self.branches)
