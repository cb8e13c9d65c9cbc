"""Calls to servicio_clientes (docs/internal-api.md): a sale's customer as clientes has it now.

Active customers are kept briefly in Django's cache (per process), like
sucursales' branches, so a till selling to a regular does not ask for every
sale; a deactivation or an anonymization is therefore seen within CACHE_SECONDS.
Unknown and inactive customers are never cached.
"""
from __future__ import annotations

from django.core.cache import cache

from sis_common.clients import OutcomeUnknown, ServiceClient, ServiceUnavailable
from sis_common.errors import DomainError

SERVICE = "clientes"
CACHE_SECONDS = 10.0
READ_TIMEOUT = 2.0
CUSTOMER_FIELDS = frozenset({"id", "doc_type", "doc_number", "name", "address", "is_active"})


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
    client = ServiceClient(SERVICE, read_timeout=READ_TIMEOUT)
    try:
        answer = client.get(f"/internal/customers/{int(customer_id)}/")
    except OutcomeUnknown as exc:
        # a read has no outcome to resolve: for the caller the service is just unavailable
        raise ServiceUnavailable(SERVICE, exc.reason) from exc
    if answer.status == 404:
        return None
    if not answer.ok or not isinstance(answer.data, dict) or not CUSTOMER_FIELDS <= answer.data.keys():
        raise ServiceUnavailable(SERVICE, f"unexpected answer HTTP {answer.status}")
    return {name: answer.data[name] for name in CUSTOMER_FIELDS}


def customer_forget(customer_id: int) -> None:
    cache.delete(cache_key(customer_id))
