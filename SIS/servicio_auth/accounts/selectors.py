"""Reads on users."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from sis_common.auth.principal import positive_id

from .models import User


def user_list(*, search: str | None = None, role: str | None = None, is_active: bool | None = None,
              branch: int | None = None) -> QuerySet[User]:
    qs = User.objects.prefetch_related("branch_scopes")
    if search:
        qs = qs.filter(Q(username__icontains=search) | Q(email__icontains=search)
                       | Q(first_name__icontains=search) | Q(last_name__icontains=search))
    if role:
        qs = qs.filter(role=role)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    if branch:
        qs = qs.filter(branch_scopes__branch_id=branch).distinct()
    return qs


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
