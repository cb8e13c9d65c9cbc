"""The user an internal endpoint acts for: the user's own access token, forwarded by the calling service.

A caller's word about who asked and for which branch is not taken: the user's
token (signed by servicio_auth, checked with the public key like every token)
names the user and their branches, and a body naming someone or somewhere else
is refused. Where the caller retries a user's request later (the table
sis_common.internal_callers.RETRYING_CALLERS), a genuine token is still taken
for settings.ACTING_TOKEN_GRACE_SECONDS past its expiry.
"""
from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied

from sis_common.internal_callers import may_retry

from .principal import Principal, as_branch_id, positive_id
from .roles import READ_ONLY_ROLES
from .tokens import TokenRejected, bearer_token, verify_access

AUTHORIZATION = "Authorization"
# the 403 codes of a token that does not cover the request: no retry with that token changes them
REFUSALS = frozenset({"acting_user_mismatch", "branch_forbidden", "role_forbidden"})


def forward_header(raw_token: str) -> dict[str, str]:
    """The header a caller sends so the receiver acts for the user of `raw_token`."""
    return {AUTHORIZATION: f"Bearer {raw_token}"} if raw_token else {}


def raw_token(request) -> str:
    """The access token a request to our public API came with (it has been verified already)."""
    try:
        token = bearer_token(request.META.get("HTTP_AUTHORIZATION"))
    except TokenRejected:
        return ""
    return token.decode("latin-1") if token else ""


def acting_user_id(request, *, endpoint: str, branch, user=None) -> int:
    """The id of the forwarded token's user, who must be able to write at `branch` and be `user` if one is named.

    401 without a genuine token; 403 `acting_user_mismatch`, `branch_forbidden`,
    or `role_forbidden` (auditors write nothing).
    """
    try:
        raw = bearer_token(request.META.get("HTTP_AUTHORIZATION"))
        if raw is None:
            raise TokenRejected("The acting user's access token is required.", "acting_token_required")
        caller = getattr(request.user, "name", None)
        grace = settings.ACTING_TOKEN_GRACE_SECONDS if may_retry(caller, settings.EWTTO_SERVICE, endpoint) else 0
        principal = Principal(verify_access(raw, expired_grace=grace))
    except TokenRejected as exc:
        raise AuthenticationFailed(exc.detail, exc.code) from exc
    user_id = positive_id(principal.token.get("user_id"))
    if user_id is None:
        raise AuthenticationFailed("The acting user's token names no user.", "token_not_valid")
    if user is not None and user != user_id:
        raise PermissionDenied(f"The body names user {user}, the token user {user_id}.", "acting_user_mismatch")
    if principal.role in READ_ONLY_ROLES or not principal.role:
        raise PermissionDenied("The acting user's role may not change stock.", "role_forbidden")
    if not principal.may_act_on(branch):
        shown = as_branch_id(branch) or "?"
        raise PermissionDenied(f"The acting user may not act on branch {shown}.", "branch_forbidden")
    return user_id
