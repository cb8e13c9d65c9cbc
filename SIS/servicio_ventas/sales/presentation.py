"""Sales and returns in the API's shape, built as plain dicts.

A page of 50 sales through the nested serializers (SaleSerializer and its
line, payment and return serializers) cost more than reading the sales, and
every sale's answer went through them too. The serializers stay the schema
and the reference: tests/test_presentation.py keeps these dicts equal to them.
"""
from __future__ import annotations

from rest_framework.fields import DateTimeField

from sis_common.bounds import money_text

from . import pricing
from .models import SagaStatus, Sale, SaleReturn

_moment = DateTimeField().to_representation


def _when(value) -> str | None:
    return None if value is None else _moment(value)


def sale_public(sale: Sale) -> dict:
    """A sale with its lines (and what was returned of each), payments and returns."""
    returns = list(sale.returns.all())
    returned = _returned_by_product(returns)
    lines = list(sale.lines.all())
    return {
        "id": sale.pk, "number": sale.number, "document_type": sale.document_type,
        "document_number": sale.document_number, "customer": sale.customer_id, "branch": sale.branch_id,
        "status": str(sale.status),
        "subtotal": money_text(sale.subtotal), "discount_total": money_text(sale.discount_total),
        "tax": money_text(sale.tax), "total": money_text(sale.total),
        "paid": money_text(sale.paid), "change": money_text(sale.change), "tax_rate": f"{sale.tax_rate:.4f}",
        "prices_include_tax": sale.prices_include_tax, "discount": sale.discount,
        "tax_breakdown": tax_breakdown(lines),
        "lines": [_sale_line(line, returned) for line in lines],
        "payments": [{"method": p.method, "amount": money_text(p.amount)} for p in sale.payments.all()],
        "returns": [return_public(r) for r in returns],
        "cashier": sale.user_id, "cashier_username": sale.cashier_username, "cashier_name": sale.cashier_name,
        "approved_by": sale.approved_by, "approved_by_username": sale.approved_by_username,
        "session": sale.session_id, "business_date": sale.business_date.isoformat(),
        "created_at": _when(sale.created_at), "completed_at": _when(sale.completed_at), "rejection": sale.rejection,
    }


def tax_breakdown(lines) -> list[dict]:
    """Net and tax per rate of a sale's stored lines (they add up to its subtotal and tax)."""
    return [{"rate": f"{band.rate:.4f}", "net": money_text(band.net), "tax": money_text(band.tax)}
            for band in pricing.breakdown(lines)]


def _returned_by_product(returns: list[SaleReturn]) -> dict[int, int]:
    # only completed returns count: a pending one may still be rejected
    returned: dict[int, int] = {}
    for sale_return in returns:
        if sale_return.status == SagaStatus.COMPLETED:
            for line in sale_return.lines.all():
                returned[line.product_id] = returned.get(line.product_id, 0) + line.quantity
    return returned


def _sale_line(line, returned: dict[int, int]) -> dict:
    return {"product": line.product_id, "sku": line.sku, "name": line.name, "unit_price": money_text(line.unit_price),
            "quantity": line.quantity, "tax_rate": f"{line.tax_rate:.4f}", "discount": money_text(line.discount),
            "net": money_text(line.net), "tax": money_text(line.tax), "total": money_text(line.total),
            "returned_quantity": returned.get(line.product_id, 0)}


def return_public(sale_return: SaleReturn) -> dict:
    """A return with its lines and refund."""
    return {
        "id": sale_return.pk, "sale": sale_return.sale_id, "branch": sale_return.branch_id,
        "status": str(sale_return.status), "document_number": sale_return.document_number,
        "referenced_document": sale_return.referenced_document,
        "lines": [{"product": x.product_id, "quantity": x.quantity, "unit_price": money_text(x.unit_price),
                   "net": money_text(x.net), "tax": money_text(x.tax), "total": money_text(x.total)}
                  for x in sale_return.lines.all()],
        "subtotal": money_text(sale_return.subtotal), "tax": money_text(sale_return.tax),
        "refund_amount": money_text(sale_return.refund_amount), "refund_method": sale_return.refund_method,
        "refund": {"method": sale_return.refund_method, "amount": money_text(sale_return.refund_amount)},
        "reason": sale_return.reason, "cashier": sale_return.user_id, "approved_by": sale_return.approved_by,
        "session": sale_return.session_id,
        "created_at": _when(sale_return.created_at), "completed_at": _when(sale_return.completed_at),
        "rejection": sale_return.rejection,
    }
