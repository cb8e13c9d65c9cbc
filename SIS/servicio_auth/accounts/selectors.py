"""Reads on users."""
from __future__ import annotations

from django.db.models import QuerySet

from sis_common.auth.principal import positive_id
from sis_common.filtersets import filtered

from .filters import UserFilter
from .models import User


def user_list(*, search: str | None = None, role: str | None = None, is_active: bool | None = None,
              branch: int | None = None) -> QuerySet[User]:
    return filtered(UserFilter, User.objects.prefetch_related("branch_scopes"), search=search, role=role,
                    is_active=is_active, branch=branch)


def user_for_request(*, user_id) -> User | None:
    """The caller's row read on the primary: a disabled user or a changed role counts at once."""
    number = positive_id(user_id)
    if number is None:
        return None
    return User.objects.using("default").prefetch_related("branch_scopes").filter(pk=number).first()


def username_taken(*, username: str, exclude_id: int | None = None) -> bool:
    # on the primary: a user created a moment ago must count
    qs = User.objects.using("default").filter(username__iexact=username)
    return qs.exclude(pk=exclude_id).exists() if exclude_id else qs.exists()
