"""Writes of servicio_auth: sign-in, token rotation and revocation, users and their passwords."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from sis_common.auth.roles import ADMIN as ADMIN_ROLE
from sis_common.auth.roles import ALL_BRANCHES_ROLES, ROLES
from sis_common.errors import DomainError

from . import selectors
from .errors import InvalidCredentials, TokenInvalid, UserInactive
from .lockout import LockedOut
from .models import User, UserBranch
from .pins import pin_hash, user_pin_set
from .tokens import (
    TokenPair, family_of, refresh_claims, session_revoke, token_pair_issue,
)

log = logging.getLogger("accounts.security")

PROFILE_FIELDS = ("email", "first_name", "last_name")


def token_obtain(*, request: HttpRequest, username: str, password: str) -> TokenPair:
    """Check the credentials (django-axes counts failures and refuses locked clients) and issue a pair."""
    # inside a transaction the user is read on the primary: a user or password changed a
    # moment ago counts at once, and so do the failure counters
    with transaction.atomic():
        user = authenticate(request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        raise InvalidCredentials()
    user_logged_in.send(sender=User, request=request, user=user)
    with transaction.atomic():
        pair = token_pair_issue(user=selectors.user_for_request(user_id=user.pk))
    log.info("sign-in", extra={"username": user.username, "user_id": user.pk,
                               "address": getattr(request, "axes_ip_address", None)})
    return pair


def token_refresh(*, raw: str) -> TokenPair:
    """Rotate: the old refresh token dies, the new pair carries the user's current role and branches.

    A token already rotated or logged out coming back means a copy is in other hands: its
    whole session is revoked (committed before the refusal), unless it comes back within
    EWTTO_REFRESH_REUSE_GRACE_SECONDS, which is a client retrying or two tabs racing.
    """
    outcome = _rotate(raw)
    if outcome == REUSED:
        raise TokenInvalid("Token is blacklisted.")
    return outcome


REUSED = "reused"


@transaction.atomic
def _rotate(raw: str) -> TokenPair | str:
    claims = refresh_claims(raw)
    outstanding = _locked_outstanding(claims)
    family = family_of(claims)
    blacklisted = BlacklistedToken.objects.filter(token=outstanding).first()
    if blacklisted is not None:
        grace = timedelta(seconds=settings.EWTTO_REFRESH_REUSE_GRACE_SECONDS)
        if family.revoked_at is None and timezone.now() - blacklisted.blacklisted_at > grace:
            session_revoke(family=family, reason="refresh_reused")
            log.warning("refresh token reused: session revoked",
                        extra={"user_id": claims["user_id"], "session": family.pk, "jti": claims["jti"]})
        return REUSED
    if family.revoked_at is not None or family.ends_at <= timezone.now():
        raise TokenInvalid("The session has ended; sign in again.")
    user = selectors.user_for_request(user_id=claims["user_id"])
    if user is None or not user.is_active:
        raise UserInactive()
    BlacklistedToken.objects.create(token=outstanding)
    return token_pair_issue(user=user, family=family)


@transaction.atomic
def token_logout(*, raw: str, user_id: int) -> None:
    """End the caller's session: its refresh token and every one rotated from it (again is fine)."""
    claims = refresh_claims(raw)
    if int(claims["user_id"]) != int(user_id):
        raise PermissionDenied("This refresh token belongs to another user.", code="token_not_owned")
    BlacklistedToken.objects.get_or_create(token=_locked_outstanding(claims))
    session_revoke(family=family_of(claims), reason="logout")


def _locked_outstanding(claims: dict) -> OutstandingToken:
    outstanding = OutstandingToken.objects.select_for_update().filter(jti=claims["jti"]).first()
    if outstanding is None:  # signed by our key but never issued by this service's records
        raise TokenInvalid()
    return outstanding


def _scopes_for(role: str, branches: list[int] | None, current: frozenset[int] = frozenset()) -> list[int]:
    """The branch IDs to keep for the role: none for admin and auditor, at least one for the others."""
    if role in ALL_BRANCHES_ROLES:
        return []  # they act on every branch: a list sent for them (a form's leftovers) means nothing
    wanted = sorted(set(current if branches is None else branches))
    if not wanted:
        raise ValidationError({"branches": [f"A {role} needs at least one branch."]}, code="branches_for_role")
    return wanted


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationError({"password": list(exc.messages)}, code="weak_password") from exc


def _set_scopes(user: User, branch_ids: list[int]) -> None:
    user.branch_scopes.exclude(branch_id__in=branch_ids).delete()
    have = set(user.branch_scopes.values_list("branch_id", flat=True))
    UserBranch.objects.bulk_create([UserBranch(user=user, branch_id=b) for b in branch_ids if b not in have])


@transaction.atomic
def user_create(*, username: str, password: str, role: str, branches: list[int] | None = None,
                email: str = "", first_name: str = "", last_name: str = "", pin: str = "",
                validate_password: bool = True) -> User:
    if role not in ROLES:
        raise ValidationError({"role": [f"Unknown role {role!r}."]})
    if selectors.username_taken(username=username):
        raise ValidationError({"username": ["A user with that username already exists."]}, code="unique")
    scopes = _scopes_for(role, branches or [])
    user = User(username=username, role=role, email=email, first_name=first_name, last_name=last_name)
    if validate_password:
        _validate_password(password, user)
    user.set_password(password)
    if pin:
        user.pin = pin_hash(pin)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent create of the same name
        raise ValidationError({"username": ["A user with that username already exists."]}, code="unique") from exc
    _set_scopes(user, scopes)
    log.info("user created", extra={"username": username, "role": role, "branches": scopes})
    return user


@transaction.atomic
def user_update(*, user_id: int, acting_user_id: int | None = None, **fields) -> User:
    """Change profile, role, branches, activity or password; disabling or a new password ends sessions."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.")
    if acting_user_id == user.pk and (("role" in fields and fields["role"] != user.role)
                                      or fields.get("is_active") is False):
        # an admin locking themselves out could leave nobody able to manage users
        raise DomainError("You cannot change your own role or disable yourself.", "own_account", 400)
    role = fields.get("role", user.role)
    if role not in ROLES:
        raise ValidationError({"role": [f"Unknown role {role!r}."]})
    scopes = _scopes_for(role, fields.get("branches"), user.branches)
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(user, name, fields[name])
    user.role = role
    if "is_active" in fields:
        user.is_active = fields["is_active"]
    if fields.get("password"):
        _validate_password(fields["password"], user)
        user.set_password(fields["password"])
    if fields.get("pin"):
        user.pin = pin_hash(fields["pin"])
    user.save()  # a new password or a disabled account ends the user's sessions (User.save)
    _set_scopes(user, scopes)
    log.info("user updated", extra={"username": user.username,
                                    "fields": sorted(k for k in fields if k not in ("password", "pin"))})
    return User.objects.using("default").prefetch_related("branch_scopes").get(pk=user.pk)


def user_password_change(*, request: HttpRequest, user_id: int, old_password: str, new_password: str) -> None:
    """The user's own change: the old password is required, the validators apply, other sessions end.

    The old password is checked like a sign-in, so guessing it with a stolen access token
    counts towards the lockout like any other failure.
    """
    user = User.objects.using("default").get(pk=user_id)
    with transaction.atomic():
        checked = authenticate(request, username=user.username, password=old_password)
    if checked is None or checked.pk != user.pk:
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        raise ValidationError({"old_password": ["The old password is not correct."]}, code="wrong_password")
    _password_replace(user_id=user_id, new_password=new_password)


def user_own_pin_set(*, request: HttpRequest, user_id: int, password: str, pin: str) -> None:
    """The user's own PIN: the password is required, checked like a sign-in (it counts towards the lockout)."""
    user = User.objects.using("default").get(pk=user_id)
    with transaction.atomic():
        checked = authenticate(request, username=user.username, password=password)
    if checked is None or checked.pk != user.pk:
        if getattr(request, "axes_locked_out", False):
            raise LockedOut()
        raise ValidationError({"password": ["The password is not correct."]}, code="wrong_password")
    user_pin_set(user_id=user_id, pin=pin)


@transaction.atomic
def _password_replace(*, user_id: int, new_password: str) -> None:
    user = User.objects.select_for_update().get(pk=user_id)
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])  # ends the user's sessions (User.save)
    log.info("password changed", extra={"username": user.username})


ADMIN_USERNAME = "admin"


@transaction.atomic
def admin_ensure(*, password: str) -> bool:
    """The first admin, created with `password`; True when created.

    An existing admin is kept an active admin, but its password is left alone: it
    may have been changed since, and a restart must not quietly undo that.
    """
    user = User.objects.select_for_update().filter(username=ADMIN_USERNAME).first()
    if user is None:
        if not password:
            raise ValueError("EWTTO_ADMIN_PASSWORD is needed to create the first admin")
        # the operator chose this password; Django's validators are for users choosing theirs
        user_create(username=ADMIN_USERNAME, password=password, role=ADMIN_ROLE, validate_password=False)
        return True
    user.role, user.is_active = ADMIN_ROLE, True
    user.save()
    _set_scopes(user, [])
    return False
