"""The client of servicio_sucursales: is a branch known and active (by id, or by code), and the company settings.

Positive answers are kept briefly in Django's cache (per process: the default
local-memory cache) so a busy till does not ask for every sale; a deactivation
or a changed setting is therefore seen within CACHE_SECONDS. Unknown or inactive
branches are never cached. The company settings seen last stay in the process and
answer while servicio_sucursales is unreachable: a till keeps selling by the rules
it last knew rather than stopping.
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.core.cache import cache

from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable
from sis_common.errors import DomainError

SERVICE = "sucursales"
CACHE_SECONDS = 10.0
READ_TIMEOUT = 2.0
CODE_MAX = 20  # a branch code's length in servicio_sucursales


COMPANY_CACHE_KEY = "ewtto:sucursales:company"
COMPANY_FIELDS = frozenset({"name", "legal_name", "tax_id", "currency", "prices_include_tax", "default_tax_rate",
                            "return_days", "discount_limits", "cash_out_limit"})
_last_company: dict | None = None


def cache_key(branch_id: int) -> str:
    return f"ewtto:sucursales:branch:{int(branch_id)}"


def code_cache_key(code: str) -> str:
    return f"ewtto:sucursales:branch-code:{code.casefold()}"


def company_get() -> dict:
    """The company settings `{name, legal_name, tax_id, currency, prices_include_tax, default_tax_rate, return_days,
    discount_limits: {cashier, manager}, cash_out_limit}` (decimals as strings, like the API).

    Unreachable servicio_sucursales: the last settings this process saw; 503 only when it saw none.
    """
    global _last_company
    cached = cache.get(COMPANY_CACHE_KEY)
    if cached is not None:
        return cached
    try:
        answer = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT).get("/internal/company/")
        if not answer.ok or not isinstance(answer.data, dict) or not COMPANY_FIELDS <= answer.data.keys():
            raise ServiceUnavailable(SERVICE, f"unexpected answer HTTP {answer.status}")
    except (ServiceUnavailable, OutcomeUnknown) as exc:
        if _last_company is not None:
            return _last_company
        raise ServiceUnavailable(SERVICE, exc.reason) from exc
    _last_company = answer.data
    cache.set(COMPANY_CACHE_KEY, answer.data, CACHE_SECONDS)
    return answer.data


def company_forget() -> None:
    """Drop what this process knows of the company (tests, and a process that must read afresh)."""
    global _last_company
    _last_company = None
    cache.delete(COMPANY_CACHE_KEY)


def branch_get(branch_id: int, *, field: str = "branch") -> dict:
    """The active branch `{id, code, name, is_active}`; 400 unknown_branch/inactive_branch; 503 when unreachable.

    `field` names the input field in the 400's field messages.
    """
    branch_id = int(branch_id)
    cached = cache.get(cache_key(branch_id))
    if cached is not None:
        return cached
    branch = _fetch(branch_id, field)
    if not branch.get("is_active"):
        message = f"Branch {branch_id} is inactive."
        raise DomainError(message, "inactive_branch", 400, **{field: [message]})
    cache.set(cache_key(branch_id), branch, CACHE_SECONDS)
    return branch


def _fetch(branch_id: int, field: str) -> dict:
    branch = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT).record(
        f"/internal/branches/{branch_id}/", fields=("is_active",))
    if branch is None:
        message = f"Unknown branch {branch_id}."
        raise DomainError(message, "unknown_branch", 400, **{field: [message]})
    return branch


def branch_by_code(code: str) -> dict | None:
    """The branch of that code `{id, code, name, is_active, ...}`, active or not; None when no branch has it.

    Codes match as sucursales' column compares them (case does not matter). Active answers are
    cached as `branch_get`'s (and fill its cache by id); unknown and inactive ones never are.
    503 when unreachable. A code longer than a branch code can be is simply unknown.
    """
    if not code or len(code) > CODE_MAX:
        return None
    cached = cache.get(code_cache_key(code))
    if cached is not None:
        return cached
    branch = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT).record(
        f"/internal/branches/?{urlencode({'code': code})}", fields=("id", "is_active"))
    if branch is not None and branch["is_active"]:
        cache.set_many({code_cache_key(code): branch, cache_key(branch["id"]): branch}, CACHE_SECONDS)
    return branch
