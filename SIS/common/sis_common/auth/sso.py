"""Admin sign-in for every project but servicio_auth: servicio_auth checks the credentials (single sign-on).

The admin's login form hands username and password to `AuthServiceBackend`,
which asks servicio_auth for a token pair (POST /api/auth/token/ on its nginx,
so its lockout applies), verifies the access token with the public key and lets
in only staff roles. The project keeps a shadow user with no usable password:
the admin is a superuser, the auditor may only look, anyone else is refused
(and an existing shadow loses its staff rights, which ends its sessions).
A session lasts EWTTO_SSO_SESSION_SECONDS after sign-in, so a user disabled in
servicio_auth loses the other admins within that time.
"""
from __future__ import annotations

import logging
import os
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from sis_common.clients import ServiceClient
from sis_common.errors import DomainError

from .roles import ADMIN, READ_ONLY_ROLES, STAFF_ROLES
from .staff import ReadOnlyStaffMixin
from .tokens import TokenRejected, verify_access

log = logging.getLogger(__name__)

TOKEN_PATH = "/api/auth/token/"
LOGOUT_PATH = "/api/auth/logout/"
READ_ONLY_GROUP = "ewtto-auditor"
MAX_FIELD = 1024


def session_seconds() -> int:
    return int(os.environ.get("EWTTO_SSO_SESSION_SECONDS", "7200"))


class AuthServiceBackend(ReadOnlyStaffMixin, ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not (isinstance(username, str) and isinstance(password, str) and username and password):
            return None
        if len(username) > MAX_FIELD or len(password) > MAX_FIELD:
            return None
        claims = sign_in(request, username=username, password=password)
        if claims is None:
            return None
        return shadow_user_sync(username=str(claims.get("username") or username), role=str(claims.get("role", "")))

    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is None or user.last_login is None:
            return None
        if timezone.now() - user.last_login > timedelta(seconds=session_seconds()):
            return None
        return user

    def is_read_only_staff(self, user_obj) -> bool:
        cached = getattr(user_obj, "_ewtto_read_only", None)
        if cached is None:
            cached = user_obj.groups.filter(name=READ_ONLY_GROUP).exists()
            user_obj._ewtto_read_only = cached
        return cached


def forwarded_for(request) -> dict[str, str]:
    """The client's address chain, so servicio_auth counts failures against the browser, not us."""
    if request is None:
        return {}
    chain = request.META.get("HTTP_X_FORWARDED_FOR", "")
    remote = request.META.get("REMOTE_ADDR", "")
    value = f"{chain}, {remote}" if chain and remote else (chain or remote)
    # the right end holds the hops we can vouch for; a cut-off left end is just garbage to servicio_auth
    return {"X-Forwarded-For": value[-MAX_FIELD:]} if value else {}


def sign_in(request, *, username: str, password: str) -> dict | None:
    """The verified access-token claims for these credentials, or None when servicio_auth refuses them."""
    client = ServiceClient("auth")
    try:
        answer = client.post(TOKEN_PATH, {"username": username, "password": password}, headers=forwarded_for(request))
    except DomainError as exc:
        log.warning("admin sign-in impossible: auth service unavailable", extra={"reason": str(exc.detail)})
        return None
    if answer.status != 200 or not isinstance(answer.data, dict):
        code = answer.data.get("code") if isinstance(answer.data, dict) else None
        log.info("admin sign-in refused by the auth service",
                 extra={"username": username[:150], "status": answer.status, "code": code})
        return None
    try:
        claims = verify_access(str(answer.data.get("access", "")))
    except TokenRejected as exc:
        log.error("admin sign-in: the auth service's token does not verify", extra={"reason": exc.detail})
        return None
    discard_refresh(client, answer.data)
    return claims


def discard_refresh(client: ServiceClient, pair: dict) -> None:
    """The admin session never refreshes, so the refresh token is killed at once (best effort)."""
    try:
        client.post(LOGOUT_PATH, {"refresh": str(pair.get("refresh", ""))},
                    headers={"Authorization": f"Bearer {pair.get('access', '')}"})
    except DomainError:
        log.info("admin sign-in: could not discard the refresh token; it expires by itself")


@transaction.atomic
def shadow_user_sync(*, username: str, role: str):
    """The local shadow of a servicio_auth user with the staff rights of its role; None when not staff."""
    User = get_user_model()
    user = User.objects.select_for_update().filter(username=username).first()
    group, _ = Group.objects.get_or_create(name=READ_ONLY_GROUP)
    if role not in STAFF_ROLES:
        if user is not None:
            user.is_staff = user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
            user.groups.remove(group)
        log.warning("admin sign-in refused: role is not staff", extra={"username": username, "role": role})
        return None
    if user is None:
        user = User(username=username)
    user.set_unusable_password()
    user.is_active = user.is_staff = True
    user.is_superuser = role == ADMIN
    user.save()
    if role in READ_ONLY_ROLES:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    log.info("admin sign-in through servicio_auth", extra={"username": username, "role": role})
    return user
