"""Calls to servicio_clientes (docs/internal-api.md): a sale's customer, the loyalty rule, points held and owed.

Active customers are kept briefly in Django's cache (per process), like
sucursales' branches, so a till selling to a regular does not ask for every
sale; a deactivation or an anonymization is therefore seen within CACHE_SECONDS.
Unknown and inactive customers are never cached.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from django.core.cache import cache

from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable
from sis_common.errors import DomainError

SERVICE = "clientes"
CACHE_SECONDS = 10.0
READ_TIMEOUT = 2.0
CUSTOMER_FIELDS = frozenset({"id", "doc_type", "doc_number", "name", "address", "is_active"})
RULES_CACHE_KEY = "ewtto:clientes:loyalty-rules"
RULES_PATH = "/internal/loyalty/rules/"
RESERVATIONS_PATH = "/internal/loyalty/reservations/"
WRITE_TIMEOUT = 3.0
_last_rules: Decimal | None = None


def cache_key(customer_id: int) -> str:
    return f"ewtto:clientes:customer:{int(customer_id)}"


def customer_get(customer_id: int, *, field: str = "customer") -> dict:
    """The active customer `{id, doc_type, doc_number, name, address, is_active}`.

    400 unknown_customer (unknown or inactive, one code: a till cannot sell to either);
    503 service_unavailable when clientes cannot be reached or answers 5xx.
    """
    customer_id = int(customer_id)
    cached = cache.get(cache_key(customer_id))
    if cached is not None:
        return cached
    customer = customer_fetch(customer_id)
    if customer is None or not customer["is_active"]:
        state = "unknown" if customer is None else "inactive"
        message = f"Customer {customer_id} is {state}."
        raise DomainError(message, "unknown_customer", 400, **{field: [message]})
    cache.set(cache_key(customer_id), customer, CACHE_SECONDS)
    return customer


def customer_fetch(customer_id: int) -> dict | None:
    """The customer as clientes has it now, active or not; None when unknown; 503 when unreachable."""
    customer = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT).record(
        f"/internal/customers/{int(customer_id)}/", fields=CUSTOMER_FIELDS)
    return None if customer is None else {name: customer[name] for name in CUSTOMER_FIELDS}


def customer_forget(customer_id: int) -> None:
    cache.delete(cache_key(customer_id))


def point_value() -> Decimal:
    """What one loyalty point pays (clientes' rule), cached 10 s; unreachable: the last value seen, else 503."""
    global _last_rules
    cached = cache.get(RULES_CACHE_KEY)
    if cached is not None:
        return cached
    try:
        answer = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT).get(RULES_PATH)
        value = Decimal(str(answer.data["point_value"])) if answer.status == 200 else None
        if value is None or not Decimal("0.01") <= value <= Decimal("1000000"):
            raise ServiceUnavailable(SERVICE, f"unexpected answer HTTP {answer.status}")
    except (ServiceUnavailable, OutcomeUnknown, KeyError, TypeError, InvalidOperation) as exc:
        if _last_rules is not None:
            return _last_rules
        raise ServiceUnavailable(SERVICE, getattr(exc, "reason", "unreadable loyalty rules")) from None
    _last_rules = value
    cache.set(RULES_CACHE_KEY, value, CACHE_SECONDS)
    return value


class HoldOutcome(str, Enum):
    HELD = "held"  # 201: the points are taken for this sale (now or on an earlier call with this key)
    REFUSED = "refused"  # 409 insufficient_points, 400 (unknown or inactive customer), 409 released: nothing held
    UNKNOWN = "unknown"  # anything else: maybe held; retry with the same key


@dataclass(frozen=True)
class HoldResult:
    outcome: HoldOutcome
    data: dict
    reason: str = ""


def points_hold(*, key: str, customer_id: int, points: int, reference: str) -> HoldResult:
    """Ask clientes to hold `points` of the customer for a pending sale; the same key always gets the first answer."""
    answer = _post(RESERVATIONS_PATH, key, {"customer": customer_id, "points": points, "reference": reference})
    if isinstance(answer, str):
        return HoldResult(HoldOutcome.UNKNOWN, {}, answer)
    data = answer.data if isinstance(answer.data, dict) else {}
    if answer.status == 201:
        return HoldResult(HoldOutcome.HELD, data)
    if answer.status == 400 or (answer.status == 409 and data.get("code") in {"insufficient_points",
                                                                              "reservation_released"}):
        return HoldResult(HoldOutcome.REFUSED, data, f"HTTP {answer.status} {data.get('code', '')}")
    return HoldResult(HoldOutcome.UNKNOWN, data, f"HTTP {answer.status} {data.get('code', '')}".strip())


def loyalty_send(*, path: str, key: str, body: dict):
    """POST a call owed to clientes (sales.loyalty); the Answer, or why it could not be sent (a str)."""
    return _post(path, key, body)


def _post(path: str, key: str, body: dict):
    client = ServiceClient(SERVICE, read_timeout=WRITE_TIMEOUT)
    try:
        return client.post(path, body, headers={"Idempotency-Key": key})
    except (ServiceUnavailable, OutcomeUnknown) as exc:
        return f"{type(exc).__name__}: {exc.reason}"
