"""POS PINs: set (hashed like passwords), and a manager's approval at a till checked with its lockout.

An approval names a username, a PIN and a branch. Every refusal is the same 403
`approval_invalid` (unknown user, wrong PIN, no PIN, a role that may not approve,
a branch the manager does not cover, a disabled account): a till must not learn
which usernames exist or who manages where. Failures count per username (folded as
sign-in failures are); EWTTO_PIN_FAILURES of them within EWTTO_PIN_WINDOW_SECONDS
lock that username's approvals (429 `approval_locked`, right PIN or not) until the
oldest of them leaves the window. A success clears the username's failures.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from sis_common.auth.roles import ADMIN, MANAGER
from sis_common.errors import DomainError

from .lockout import fold
from .models import PinFailure, User

log = logging.getLogger("accounts.security")

APPROVER_ROLES = frozenset({ADMIN, MANAGER})


@dataclass(frozen=True)
class Approver:
    user_id: int
    username: str
    full_name: str
    role: str


class ApprovalInvalid(DomainError):
    def __init__(self):
        super().__init__("The approval is not valid: a manager of this branch must enter their username and PIN.",
                         "approval_invalid", 403)


class ApprovalLocked(DomainError):
    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(f"Too many wrong approvals for this user; try again in {minutes} minutes.",
                         "approval_locked", 429, retry_after_seconds=retry_after)


def pin_hash(pin: str) -> str:
    return make_password(pin)


@transaction.atomic
def user_pin_set(*, user_id: int, pin: str) -> None:
    user = User.objects.select_for_update().get(pk=user_id)
    user.pin = pin_hash(pin)
    user.save(update_fields=["pin"])
    log.info("POS PIN set", extra={"username": user.username})


def approval_check(*, username: str, pin: str, branch: int) -> Approver:
    """The approving manager or admin; 403 approval_invalid for any reason, 429 approval_locked."""
    key = fold(username)
    window_start = timezone.now() - timedelta(seconds=settings.EWTTO_PIN_WINDOW_SECONDS)
    failures = list(PinFailure.objects.using("default").filter(username=key, failed_at__gte=window_start)
                    .order_by("failed_at").values_list("failed_at", flat=True))
    if len(failures) >= settings.EWTTO_PIN_FAILURES:
        oldest = failures[-settings.EWTTO_PIN_FAILURES]
        retry = max(1, math.ceil((oldest - window_start).total_seconds()))
        raise ApprovalLocked(retry)
    user = (User.objects.using("default").prefetch_related("branch_scopes")
            .filter(username=username[:150]).first())
    if user is None or not user.pin:
        make_password(pin)  # as slow as a real check: the answer's time tells nothing either
        ok = False
    else:
        ok = check_password(pin, user.pin)
    ok = ok and user.is_active and user.role in APPROVER_ROLES and user.may_act_on(branch)
    if not ok:
        # failures past the window count for nothing: they go as new ones come
        PinFailure.objects.filter(username=key, failed_at__lt=window_start).delete()
        PinFailure.objects.create(username=key, failed_at=timezone.now())
        log.warning("approval refused", extra={"username": key, "branch": branch})
        raise ApprovalInvalid()
    PinFailure.objects.filter(username=key).delete()
    log.info("approval given", extra={"username": user.username, "branch": branch})
    return Approver(user_id=user.pk, username=user.username, full_name=user.display_name, role=user.role)
