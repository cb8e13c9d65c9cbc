"""Legal document numbers: a series per branch and type, gap-free under concurrency and rolled-back completions."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction

from sales import numbering, services
from sales.models import DocumentCounter, Sale, SaleReturn

from .builders import make_sale

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
BODY = {"branch": 1, "lines": [{"product": 1, "quantity": 2}], "payments": [{"method": "cash", "amount": "50.00"}]}


@pytest.mark.parametrize(("branch", "document_type", "credit_note", "series"), [
    (1, "receipt", False, "B001"), (1, "invoice", False, "F001"), (1, "receipt", True, "BC01"),
    (1, "invoice", True, "FC01"), (12, "receipt", False, "B012"), (99, "invoice", True, "FC99"),
    (123, "receipt", False, "B123"), (123, "invoice", True, "FC123"), (1000, "invoice", False, "F1000"),
])
def test_each_branch_has_a_series_per_document_type(branch, document_type, credit_note, series):
    assert numbering.document_series(branch_id=branch, document_type=document_type,
                                     credit_note=credit_note) == series


def test_document_numbers_are_written_with_eight_digits():
    assert numbering.document_number("F001", 45) == "F001-00000045"


def _complete(sale_id: int) -> Sale:
    with transaction.atomic():
        return services.sale_complete(sale=Sale.objects.select_for_update().get(pk=sale_id), stock_move_id=1)


def test_receipts_and_invoices_count_in_their_own_series_and_only_completed_sales_are_numbered():
    first = make_sale(branch_id=501, user_id=1, lines=[(1, "1.00", 1)])
    invoice = make_sale(branch_id=501, user_id=1, lines=[(1, "1.00", 1)], customer_id=7, document_type="invoice")
    pending = make_sale(branch_id=501, user_id=1, lines=[(1, "1.00", 1)], complete=False)
    rejected = make_sale(branch_id=501, user_id=1, lines=[(1, "1.00", 1)], complete=False)
    with transaction.atomic():
        services.sale_reject(sale=Sale.objects.select_for_update().get(pk=rejected.pk), rejection={"code": "x"})
    second = make_sale(branch_id=501, user_id=1, lines=[(1, "1.00", 1)])
    elsewhere = make_sale(branch_id=502, user_id=1, lines=[(1, "1.00", 1)])
    assert [first.document_number, second.document_number] == ["B501-00000001", "B501-00000002"]
    assert (invoice.document_number, invoice.customer_id, invoice.document_type) == ("F501-00000001", 7, "invoice")
    assert elsewhere.document_number == "B502-00000001"
    assert Sale.objects.filter(pk__in=[pending.pk, rejected.pk], document_number__isnull=False).count() == 0
    assert _complete(pending.pk).document_number == "B501-00000003"


def test_a_rolled_back_completion_gives_its_number_back():
    first = make_sale(branch_id=503, user_id=1, lines=[(1, "1.00", 1)])
    retried = make_sale(branch_id=503, user_id=1, lines=[(1, "1.00", 1)], complete=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.sale_complete(sale=Sale.objects.select_for_update().get(pk=retried.pk), stock_move_id=1)
        raise RuntimeError("the completing transaction fails after numbering")
    assert Sale.objects.get(pk=retried.pk).document_number is None
    assert _complete(retried.pk).document_number == "B503-00000002"
    assert first.document_number == "B503-00000001"


def test_twenty_concurrent_sales_on_one_series_get_contiguous_numbers_none_reused():
    pending = [make_sale(branch_id=504, user_id=1, lines=[(1, "1.00", 1)], complete=False).pk for _ in range(20)]

    def complete(index: int) -> str:
        try:
            if index % 5 == 0:  # a completion that fails after taking its number, then is retried
                with pytest.raises(RuntimeError), transaction.atomic():
                    services.sale_complete(sale=Sale.objects.select_for_update().get(pk=pending[index]),
                                           stock_move_id=1)
                    raise RuntimeError("lost connection to inventory's answer")
            return _complete(pending[index]).document_number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(complete, range(20)))
    assert sorted(numbers) == [f"B504-{n:08d}" for n in range(1, 21)]
    stored = sorted(Sale.objects.filter(branch_id=504).values_list("document_sequence", flat=True))
    assert stored == list(range(1, 21))
    assert DocumentCounter.objects.get(series="B504").last_sequence == 20
    # the sale numbers of the branch are just as contiguous: the two counters never deadlock each other
    assert sorted(Sale.objects.filter(branch_id=504).values_list("sequence", flat=True)) == list(range(1, 21))


def _return(sale: Sale, key: str) -> SaleReturn:
    sale_return = services.return_create(request=services.ReturnRequest(
        sale_id=sale.pk, user_id=1, idempotency_key=key, request_hash=key, lines=[(1, 1)], reason="",
        refund_method="cash"))
    with transaction.atomic():
        return services.return_complete(sale_return=SaleReturn.objects.select_for_update().get(pk=sale_return.pk),
                                        stock_move_id=1)


def test_a_return_issues_a_credit_note_in_its_documents_series_referencing_it():
    receipt = make_sale(branch_id=7, user_id=1, lines=[(1, "1.00", 3)])
    invoice = make_sale(branch_id=7, user_id=1, lines=[(1, "1.00", 3)], customer_id=3, document_type="invoice")
    first = _return(receipt, "cn-1")
    second = _return(receipt, "cn-2")
    corrected = _return(invoice, "cn-3")
    assert (first.document_number, first.referenced_document) == ("BC07-00000001", "B007-00000001")
    assert second.document_number == "BC07-00000002"
    assert (corrected.document_number, corrected.referenced_document) == ("FC07-00000001", "F007-00000001")


def test_a_pending_return_gets_its_credit_note_only_when_completed():
    sale = make_sale(branch_id=8, user_id=1, lines=[(1, "1.00", 3)])
    sale_return = services.return_create(request=services.ReturnRequest(
        sale_id=sale.pk, user_id=1, idempotency_key="cn-p", request_hash="cn-p", lines=[(1, 1)], reason="",
        refund_method="cash"))
    assert (sale_return.document_series, sale_return.document_number) == ("BC08", None)
    with transaction.atomic():
        services.return_reject(sale_return=SaleReturn.objects.select_for_update().get(pk=sale_return.pk),
                               rejection={"code": "x"})
    assert _return(sale, "cn-q").document_number == "BC08-00000001"


def test_an_invoice_without_a_customer_is_refused_and_nothing_is_stored(client_for):
    answer = client_for("cashier", [1]).post("/api/sales/", {**BODY, "document_type": "invoice"}, format="json",
                                             HTTP_IDEMPOTENCY_KEY="inv-1")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invoice_needs_tax_id"
    assert Sale.objects.count() == 0


@pytest.mark.parametrize("body", [{**BODY, "document_type": "ticket"}, {**BODY, "customer": 0},
                                  {**BODY, "customer": "x"}, {**BODY, "customer": 2**63}])
def test_a_bad_customer_or_document_type_is_a_400(client_for, body):
    answer = client_for("cashier", [1]).post("/api/sales/", body, format="json", HTTP_IDEMPOTENCY_KEY="inv-2")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"


def test_the_sale_and_its_returns_show_their_documents(client_for):
    sale = make_sale(branch_id=9, user_id=1, lines=[(1, "1.00", 2)], customer_id=4, document_type="invoice")
    _return(sale, "cn-r")
    shown = client_for("auditor").get(f"/api/sales/{sale.pk}/").json()
    assert (shown["document_type"], shown["document_number"], shown["customer"]) == ("invoice", "F009-00000001", 4)
    assert [(r["document_number"], r["referenced_document"]) for r in shown["returns"]] == [
        ("FC09-00000001", "F009-00000001")]
