"""A manager's consent at the till: `{username, pin}` checked by auth's POST /internal/approvals/.

Used wherever a cashier needs a manager: a discount above the cashier's limit
(sales), a cash-out above the company's limit (cash), a return the cashier may
not make alone (sales.refunds). Auth answers one code for every refusal
(`approval_invalid`, no oracle) and locks a username after repeated failures
(`approval_locked`, 429); nothing is cached, each check is one call.
"""
from __future__ import annotations

from dataclasses import dataclass

from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable
from sis_common.errors import DomainError

SERVICE = "auth"
APPROVALS_PATH = "/internal/approvals/"
READ_TIMEOUT = 3.0


@dataclass(frozen=True)
class Approver:
    user_id: int
    username: str
    full_name: str
    role: str


def approval_check(*, username: str, pin: str, branch_id: int) -> Approver:
    """The manager or admin of `branch_id` whose PIN this is; 403 approval_invalid, 429 approval_locked, 503."""
    client = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT)
    try:
        answer = client.post(APPROVALS_PATH, {"username": username, "pin": pin, "branch": int(branch_id)})
    except OutcomeUnknown as exc:
        # a check changes nothing the caller must resolve: for it auth is just unavailable
        raise ServiceUnavailable(SERVICE, exc.reason) from exc
    data = answer.data if isinstance(answer.data, dict) else {}
    if answer.status == 200:
        try:
            return Approver(int(data["user_id"]), str(data["username"]),
                            str(data.get("full_name") or data["username"]), str(data["role"]))
        except (KeyError, TypeError, ValueError):
            raise ServiceUnavailable(SERVICE, "unreadable approval answer") from None
    if answer.status == 429:
        raise DomainError("Too many failed approvals for this user; wait and try again.", "approval_locked", 429,
                          approval=["Too many failed approvals for this user; wait and try again."],
                          retry_after_seconds=data.get("retry_after_seconds"))
    if answer.status in (400, 403):
        raise DomainError("The approval was refused: not a manager of this branch, or a wrong PIN.",
                          "approval_invalid", 403,
                          approval=["The approval was refused: not a manager of this branch, or a wrong PIN."])
    raise ServiceUnavailable(SERVICE, f"approvals answered HTTP {answer.status}")


def approval_require(*, approval: dict | None, branch_id: int, code: str, detail: str, **extra) -> Approver:
    """The approver named in `approval` (`{username, pin}`); without one, 403 `code` with `detail`.

    `code` says what needed the approval (`discount_needs_approval`, a cash-out's own code);
    a wrong one is `approval_invalid` whatever needed it.
    """
    username = (approval or {}).get("username")
    pin = (approval or {}).get("pin")
    if not username or not pin:
        raise DomainError(detail, code, 403, **extra)
    return approval_check(username=str(username), pin=str(pin), branch_id=branch_id)
