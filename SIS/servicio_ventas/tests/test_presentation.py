"""The hand-built answers (sales.presentation) are exactly what the serializers, the API's schema, would give."""
import itertools

import pytest
from django.db import transaction

from sales import selectors, services
from sales.models import SaleReturn
from sales.presentation import return_public, sale_public
from sales.serializers import ReturnSerializer, SaleSerializer

from .builders import make_sale

pytestmark = pytest.mark.django_db(databases=["default", "replica"])
BRANCH = 451
_keys = (f"pres-{i}" for i in itertools.count())


def a_return(sale, lines, *, outcome: str) -> SaleReturn:
    key = next(_keys)
    sale_return = services.return_create(request=services.ReturnRequest(
        sale_id=sale.pk, user_id=7, idempotency_key=key, request_hash=key, lines=lines, reason="roto",
        refund_method="card"))
    with transaction.atomic():
        locked = SaleReturn.objects.select_for_update().get(pk=sale_return.pk)
        if outcome == "completed":
            services.return_complete(sale_return=locked, stock_move_id=9)
        elif outcome == "rejected":
            services.return_reject(sale_return=locked, rejection={"code": "stock_move_refused", "detail": "no"})
    return sale_return


def sales_of_every_shape() -> list[int]:
    plain = make_sale(branch_id=BRANCH, user_id=7, lines=[(3, "1.05", 3)], payments=[("cash", "10")])
    returned = make_sale(branch_id=BRANCH, user_id=7, lines=[(1, "2.50", 4), (2, "0.99", 1)],
                         payments=[("card", "11.00"), ("cash", "20.00")])
    a_return(returned, [(1, 2)], outcome="completed")
    a_return(returned, [(1, 1)], outcome="pending")
    a_return(returned, [(2, 1)], outcome="rejected")
    pending = make_sale(branch_id=BRANCH, user_id=8, lines=[(4, "7.00", 1)], complete=False)
    rejected = make_sale(branch_id=BRANCH, user_id=8, lines=[(5, "3.30", 2)], complete=False)
    services.sale_reject(sale=rejected, rejection={"code": "insufficient_stock", "lines": [{"product": 5}]})
    return [plain.pk, returned.pk, pending.pk, rejected.pk]


def test_every_kind_of_sale_reads_as_the_serializer_shows_it():
    for sale_id in sales_of_every_shape():
        sale = selectors.sale_fresh(sale_id=sale_id)
        assert sale_public(sale) == SaleSerializer(sale).data
        for sale_return in sale.returns.all():
            assert return_public(sale_return) == ReturnSerializer(sale_return).data


def test_a_sale_just_completed_answers_as_when_read_back():
    sale = make_sale(branch_id=BRANCH, user_id=7, lines=[(6, "12.34", 5)], payments=[("transfer", "10"), ("cash", "70")],
                     complete=False)
    with transaction.atomic():
        locked = selectors.sale_fresh(sale_id=sale.pk)
        lines, payments = list(locked.lines.all()), list(locked.payments.all())
        done = services.sale_complete(sale=locked, stock_move_id=1, lines=lines, payments=payments)
    in_memory = selectors.sale_with_details(done, lines=lines, payments=payments, returns=[])
    assert sale_public(in_memory) == SaleSerializer(in_memory).data == sale_public(
        selectors.sale_fresh(sale_id=sale.pk))


def test_the_api_answers_with_the_same_shape(admin_client):
    ids = sales_of_every_shape()
    listed = admin_client.get(f"/api/sales/?branch={BRANCH}").json()["results"]
    assert [s["id"] for s in listed] == sorted(ids, reverse=True)
    for body in listed:
        assert body == SaleSerializer(selectors.sale_fresh(sale_id=body["id"])).data
        assert admin_client.get(f"/api/sales/{body['id']}/").json() == body
