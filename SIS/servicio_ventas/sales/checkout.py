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

from sis_common import inventario_client as inventory
from sis_common import sucursales_client
from sis_common.bounds import MONEY_MAX
from sis_common.clients import ServiceUnavailable
from sis_common.errors import DomainError
from sis_common.idempotency.contract import fingerprint, in_progress, key_reused

from . import customers, discounts, loyalty, pricing, refunds, saga, selectors, services
from .models import DocumentType, SagaStatus, Sale, SaleReturn

log = logging.getLogger(__name__)
# how long the creating request waits for a duplicate that grabbed its fresh sale (< gateway timeout)
CREATOR_WAIT_SECONDS = 6.0


@dataclass(frozen=True)
class Submitted:
    saga: Sale | SaleReturn
    replayed: bool


@dataclass(frozen=True)
class LineRequest:
    product: int
    quantity: int
    discount: pricing.Discount | None = None


@dataclass(frozen=True)
class Seller:
    """Who sells, from the access token: whose discount limit applies and whose name the receipt prints."""

    user_id: int
    role: str
    username: str = ""
    full_name: str = ""


def _discount_key(discount: pricing.Discount | None) -> dict | None:
    return None if discount is None else discount.as_dict()


@dataclass(frozen=True)
class Buyer:
    """Whom the sale is to and which legal document it issues (sales.customers)."""

    customer_id: int | None = None
    document_type: str = DocumentType.RECEIPT

    def as_key(self) -> dict:
        # an anonymous receipt adds nothing, so keys stored before customers existed still match
        return {} if self == Buyer() else {"buyer": [self.customer_id, self.document_type]}


def sale_request_hash(*, branch_id: int, lines: list[LineRequest], payments: list[tuple[str, Decimal]],
                      discount: pricing.Discount | None = None, approval: dict | None = None,
                      buyer: Buyer = Buyer()) -> str:
    """The fingerprint a key is bound to: the same sale in any order and amount spelling matches."""
    return fingerprint({
        **buyer.as_key(),
        "branch": branch_id,
        "lines": sorted([x.product, x.quantity, _discount_key(x.discount)] for x in lines),
        "payments": sorted((m, str(pricing.money(a))) for m, a in payments),
        "discount": _discount_key(discount),
        "approval": None if not approval else [approval.get("username"), approval.get("pin")],
    })


def sale_submit(*, seller: Seller, key: str, branch_id: int, lines: list[LineRequest],
                payments: list[tuple[str, Decimal]], discount: pricing.Discount | None = None,
                approval: dict | None = None, acting_token: str = "", buyer: Buyer = Buyer()) -> Submitted:
    request_hash = sale_request_hash(branch_id=branch_id, lines=lines, payments=payments, discount=discount,
                                     approval=approval, buyer=buyer)
    existing = selectors.sale_by_key(user_id=seller.user_id, key=key)
    if existing is not None:
        return _resume_sale(existing, request_hash)
    customers.document_check(document_type=buyer.document_type, customer_id=buyer.customer_id)
    draft = _draft(seller=seller, key=key, request_hash=request_hash, branch_id=branch_id, lines=lines,
                   payments=payments, discount=discount, approval=approval, acting_token=acting_token,
                   buyer=buyer)
    try:
        created = services.sale_create(draft=draft)
    except IntegrityError:
        # a concurrent request with this key stored its sale first
        existing = selectors.sale_by_key(user_id=seller.user_id, key=key)
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


def _draft(*, seller: Seller, key: str, request_hash: str, branch_id: int, lines: list[LineRequest],
           payments: list[tuple[str, Decimal]], discount: pricing.Discount | None, approval: dict | None,
           acting_token: str, buyer: Buyer) -> services.SaleDraft:
    points = loyalty.points_of(payments=payments, customer_id=buyer.customer_id)
    branch_code = _branch_code(branch_id)
    company = sucursales_client.company_get()
    include_tax = bool(company["prices_include_tax"])
    default_rate = Decimal(str(company["default_tax_rate"]))
    products = _products(lines)
    try:
        priced = pricing.price(
            [pricing.LineIn(pricing.money(products[x.product].price), x.quantity,
                            _rate(products[x.product], default_rate), x.discount) for x in lines],
            prices_include_tax=include_tax, discount=discount)
    except pricing.PricingError as exc:
        field = "lines" if "line" in exc.extra else "discount"
        raise DomainError(exc.detail, exc.code, 400, **{field: [exc.detail]}, **exc.extra) from None
    sold = [services.PricedLine(x.product, products[x.product].sku, products[x.product].name,
                                pricing.money(products[x.product].price), x.quantity, amounts.tax_rate,
                                amounts.discount, amounts.net, amounts.tax, amounts.total,
                                products[x.product].cost, products[x.product].category_id)
            for x, amounts in zip(lines, priced.lines)]
    _within_columns(sold, priced)
    try:
        settlement = pricing.settle(priced.total, payments)
    except pricing.PaymentError as exc:
        raise DomainError(exc.detail, exc.code, 400, payments=[exc.detail], total=str(priced.total)) from None
    if settlement.paid > MONEY_MAX:
        raise DomainError(f"Payments add up to more than {MONEY_MAX}.", "amount_too_large", 400,
                          payments=[f"Payments add up to more than {MONEY_MAX}."])
    approver = discounts.discount_authorize(role=seller.role, effective=priced.effective_percent,
                                            limits=company["discount_limits"], approval=approval,
                                            branch_id=branch_id)
    return services.SaleDraft(
        branch_id=branch_id, branch_code=branch_code, user_id=seller.user_id, idempotency_key=key,
        request_hash=request_hash, tax_rate=default_rate, prices_include_tax=include_tax, lines=sold,
        payments=payments, totals=priced, settlement=settlement, discount=_discount_key(discount),
        cashier_username=seller.username[:150], cashier_name=(seller.full_name or seller.username)[:300],
        approved_by=approver.user_id if approver else None,
        approved_by_username=approver.username[:150] if approver else "", acting_token=acting_token,
        customer_id=buyer.customer_id, document_type=buyer.document_type, points_spent=points,
    )


def _rate(product: inventory.Product, default: Decimal) -> Decimal:
    return default if product.tax_rate is None else product.tax_rate


def _within_columns(lines: list[services.PricedLine], priced: pricing.Priced) -> None:
    """400 amount_too_large for a line or total that a DECIMAL(12,2) column cannot hold."""
    if max(priced.total, priced.gross) > MONEY_MAX or any(max(x.total, x.discount) > MONEY_MAX for x in lines):
        message = f"The sale's amounts may not exceed {MONEY_MAX}."
        raise DomainError(message, "amount_too_large", 400, lines=[message], total=str(priced.total))


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


def _products(lines: list[LineRequest]) -> dict[int, inventory.Product]:
    """The lines' products as inventory has them now, all known and still sold (one call)."""
    wanted = [x.product for x in lines]
    products = inventory.products_get(wanted, read_timeout=settings.SALES_PRICE_TIMEOUT)
    unknown = [p for p in wanted if p not in products]
    if unknown:
        raise DomainError(f"Unknown products: {', '.join(map(str, unknown))}.", "unknown_product", 400,
                          products=unknown)
    inactive = [p for p in wanted if not products[p].is_active]
    if inactive:
        raise DomainError(f"Products no longer sold: {', '.join(map(str, inactive))}.", "inactive_product", 400,
                          products=inactive)
    return products


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
