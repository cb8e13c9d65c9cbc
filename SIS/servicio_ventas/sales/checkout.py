"""A POSTed sale or return from request to answer: replay by key, or price, store pending and drive.

The Idempotency-Key is kept on the sale itself (unique per user), so the key
and the pending sale commit together, before inventory is asked. A repeat
of the key finds the sale: a different body is 422; a settled sale answers as
it did; a pending one is driven again (or 409 while someone else drives it).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError

from sis_common import sucursales_client
from sis_common.bounds import MONEY_MAX
from sis_common.clients import ServiceUnavailable
from sis_common.errors import DomainError
from sis_common.idempotency.contract import fingerprint, in_progress, key_reused

from . import inventory, pricing, refunds, saga, selectors, services
from .models import SagaStatus, Sale, SaleReturn

log = logging.getLogger(__name__)
# how long the creating request waits for a duplicate that grabbed its fresh sale (< gateway timeout)
CREATOR_WAIT_SECONDS = 6.0


@dataclass(frozen=True)
class Submitted:
    saga: Sale | SaleReturn
    replayed: bool


def sale_request_hash(*, branch_id: int, lines: list[tuple[int, int]], payments: list[tuple[str, Decimal]]) -> str:
    """The fingerprint a key is bound to: the same sale in any order and amount spelling matches."""
    return fingerprint({
        "branch": branch_id, "lines": sorted(lines),
        "payments": sorted((m, str(pricing.money(a))) for m, a in payments),
    })


def sale_submit(*, user_id: int, key: str, branch_id: int, lines: list[tuple[int, int]],
                payments: list[tuple[str, Decimal]], acting_token: str = "") -> Submitted:
    request_hash = sale_request_hash(branch_id=branch_id, lines=lines, payments=payments)
    existing = selectors.sale_by_key(user_id=user_id, key=key)
    if existing is not None:
        return _resume_sale(existing, request_hash)
    draft = _draft(user_id=user_id, key=key, request_hash=request_hash, branch_id=branch_id, lines=lines,
                   payments=payments, acting_token=acting_token)
    try:
        created = services.sale_create(draft=draft)
    except IntegrityError:
        # a concurrent request with this key stored its sale first
        existing = selectors.sale_by_key(user_id=user_id, key=key)
        if existing is None:
            raise
        return _resume_sale(existing, request_hash)
    sale = created.sale
    try:
        sale = saga.sale_drive_created(created=created, wait=CREATOR_WAIT_SECONDS)
    except saga.SagaBusy:
        pass  # still being driven by a duplicate: answer pending, the outcome is the duplicate's
    return Submitted(sale, replayed=False)


def _resume_sale(sale: Sale, request_hash: str) -> Submitted:
    if sale.request_hash != request_hash:
        raise key_reused()
    if sale.status == SagaStatus.PENDING:
        try:
            sale = saga.sale_drive(sale_id=sale.pk)
        except saga.SagaBusy:
            raise in_progress() from None
    return Submitted(sale, replayed=True)


def _draft(*, user_id: int, key: str, request_hash: str, branch_id: int, lines: list[tuple[int, int]],
           payments: list[tuple[str, Decimal]], acting_token: str) -> services.SaleDraft:
    branch_code = _branch_code(branch_id)
    priced = _priced(lines)
    rate = settings.SALES_TAX_RATE
    totals = pricing.totals((line.total for line in priced), rate)
    _within_columns(priced, totals)
    try:
        settlement = pricing.settle(totals.total, payments)
    except pricing.PaymentError as exc:
        raise DomainError(exc.detail, exc.code, 400, payments=[exc.detail], total=str(totals.total)) from None
    if settlement.paid > MONEY_MAX:
        raise DomainError(f"Payments add up to more than {MONEY_MAX}.", "amount_too_large", 400,
                          payments=[f"Payments add up to more than {MONEY_MAX}."])
    return services.SaleDraft(
        branch_id=branch_id, branch_code=branch_code, user_id=user_id, idempotency_key=key,
        request_hash=request_hash, tax_rate=rate, lines=priced, payments=payments, totals=totals,
        settlement=settlement, acting_token=acting_token,
    )


def _within_columns(priced: list[services.PricedLine], totals: pricing.Totals) -> None:
    """400 amount_too_large for a line or total that a DECIMAL(12,2) column cannot hold."""
    if totals.total > MONEY_MAX or any(line.total > MONEY_MAX for line in priced):
        message = f"The sale's amounts may not exceed {MONEY_MAX}."
        raise DomainError(message, "amount_too_large", 400, lines=[message], total=str(totals.total))


def _branch_code(branch_id: int) -> str:
    """The branch's code for sale numbers; when sucursales is down, the code last seen on a sale there."""
    try:
        return sucursales_client.branch_get(branch_id)["code"]
    except ServiceUnavailable:
        known = (Sale.objects.using("default").filter(branch_id=branch_id).order_by("-id")
                 .values_list("branch_code", flat=True).first())
        if known is None:
            raise
        log.warning("sucursales unavailable; selling at branch %s with its last known code", branch_id)
        return known


def _priced(lines: list[tuple[int, int]]) -> list[services.PricedLine]:
    products = inventory.products_get([product for product, _ in lines])
    unknown = [p for p, _ in lines if p not in products]
    if unknown:
        raise DomainError(f"Unknown products: {', '.join(map(str, unknown))}.", "unknown_product", 400,
                          products=unknown)
    inactive = [p for p, _ in lines if not products[p].is_active]
    if inactive:
        raise DomainError(f"Products no longer sold: {', '.join(map(str, inactive))}.", "inactive_product", 400,
                          products=inactive)
    return [services.PricedLine(p, products[p].sku, products[p].name, pricing.money(products[p].price), q)
            for p, q in lines]


def return_submit(*, user_id: int, role: str, key: str, sale: Sale, lines: list[tuple[int, int]], reason: str,
                  refund_method: str | None, approval: dict | None = None, acting_token: str = "") -> Submitted:
    request_hash = fingerprint({"sale": sale.pk, "lines": sorted(lines), "reason": reason,
                                "refund_method": refund_method})
    existing = selectors.return_by_key(user_id=user_id, key=key)
    if existing is not None:
        return _resume_return(existing, request_hash)
    approved_by = refunds.return_authorize(sale=sale, user_id=user_id, role=role, approval=approval)
    request = services.ReturnRequest(sale_id=sale.pk, user_id=user_id, idempotency_key=key,
                                     request_hash=request_hash, lines=lines, reason=reason,
                                     refund_method=refund_method, approved_by=approved_by,
                                     acting_token=acting_token)
    try:
        sale_return = services.return_create(request=request)
    except IntegrityError:
        existing = selectors.return_by_key(user_id=user_id, key=key)
        if existing is None:
            raise
        return _resume_return(existing, request_hash)
    try:
        sale_return = saga.return_drive(return_id=sale_return.pk, wait=CREATOR_WAIT_SECONDS)
    except saga.SagaBusy:
        pass
    return Submitted(sale_return, replayed=False)


def _resume_return(sale_return: SaleReturn, request_hash: str) -> Submitted:
    if sale_return.request_hash != request_hash:
        raise key_reused()
    if sale_return.status == SagaStatus.PENDING:
        try:
            sale_return = saga.return_drive(return_id=sale_return.pk)
        except saga.SagaBusy:
            raise in_progress() from None
    return Submitted(sale_return, replayed=True)
