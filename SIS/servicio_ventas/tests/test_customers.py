"""A sale's customer as servicio_clientes has it (sales.customers): invoices need a RUC, a dead clientes is a 503.

The real lookup, unknown and inactive customers included, runs against servicio_clientes
in tests/system/test_customer_sales.py; here clientes' answers are the ones this process
cached (as tests/conftest's known branches are), or clientes is unreachable.
"""
import pytest
from django.core.cache import cache

from sales import clientes
from sales.models import Sale
from sis_common.testing.internal import caller_credentials

from .builders import make_sale

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
BODY = {"branch": 1, "lines": [{"product": 1, "quantity": 2}], "payments": [{"method": "cash", "amount": "50.00"}]}
PERSON = {"id": 41, "doc_type": "dni", "doc_number": "45678912", "name": "Ana Ruiz", "address": "", "is_active": True}
COMPANY = {"id": 42, "doc_type": "ruc", "doc_number": "20100070970", "name": "Comercial SAC",
           "address": "Av. Arequipa 100", "is_active": True}


@pytest.fixture
def known_customers(monkeypatch):
    """Customers 41 and 42 as clientes last answered them; clientes itself unreachable."""
    monkeypatch.delenv("EWTTO_CLIENTES_URL", raising=False)
    cache.set_many({clientes.cache_key(c["id"]): c for c in (PERSON, COMPANY)}, 60)
    yield
    cache.delete_many([clientes.cache_key(c["id"]) for c in (PERSON, COMPANY)])


def post_sale(client, body, key):
    return client.post("/api/sales/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_an_invoice_to_a_customer_without_a_ruc_is_refused_and_nothing_is_stored(client_for, known_customers):
    answer = post_sale(client_for("cashier", [1]), {**BODY, "customer": 41, "document_type": "invoice"}, "c-1")
    assert answer.status_code == 400
    assert answer.json()["code"] == "invoice_needs_tax_id" and "customer" in answer.json()
    assert Sale.objects.count() == 0


def test_a_customer_is_asked_of_clientes_and_clientes_unreachable_is_a_fast_503(client_for, monkeypatch):
    monkeypatch.delenv("EWTTO_CLIENTES_URL", raising=False)
    for key, body in (("c-2", {**BODY, "customer": 77}), ("c-3", {**BODY, "customer": 77, "document_type": "invoice"})):
        answer = post_sale(client_for("cashier", [1]), body, key)
        assert answer.status_code == 503
        assert (answer.json()["code"], answer.json()["service"]) == ("service_unavailable", "clientes")
    assert Sale.objects.count() == 0


def test_clientes_refusing_connections_is_a_503(client_for, monkeypatch):
    monkeypatch.setenv("EWTTO_CLIENTES_URL", "http://127.0.0.1:9")  # nothing listens on discard
    answer = post_sale(client_for("cashier", [1]), {**BODY, "customer": 78}, "c-4")
    assert answer.status_code == 503 and answer.json()["code"] == "service_unavailable"
    assert Sale.objects.count() == 0


def test_an_invoice_to_a_ruc_and_a_receipt_to_a_person_get_past_the_customer_check(client_for, known_customers,
                                                                                  monkeypatch):
    # inventory is unreachable here too: getting to it (its 503) means the customer was accepted
    monkeypatch.delenv("EWTTO_INVENTARIO_URL", raising=False)
    make_sale(branch_id=1, user_id=50, lines=[(1, "1.00", 1)], code="SUC01")
    for key, body in (("c-5", {**BODY, "customer": 42, "document_type": "invoice"}), ("c-6", {**BODY, "customer": 41})):
        answer = post_sale(client_for("cashier", [1], user_id=51), body, key)
        assert answer.status_code == 503, answer.json()
        assert answer.json()["service"] == "inventario"


def test_the_receipt_shows_the_customer_and_only_the_id_when_clientes_cannot_say(client_for, monkeypatch):
    monkeypatch.delenv("EWTTO_CLIENTES_URL", raising=False)
    sale = make_sale(branch_id=1, user_id=1, lines=[(1, "1.00", 1)], customer_id=42, document_type="invoice",
                     code="SUC01")
    receipt = client_for("auditor").get(f"/api/sales/{sale.pk}/receipt/").json()
    assert receipt["customer"] == {"id": 42, "doc_type": "", "doc_number": "", "name": "", "address": ""}
    walk_in = make_sale(branch_id=1, user_id=1, lines=[(1, "1.00", 1)], code="SUC01")
    assert client_for("auditor").get(f"/api/sales/{walk_in.pk}/receipt/").json()["customer"] is None


def _internal(client, query: str, caller: str = "clientes"):
    return client.get(f"/internal/sales/{query}", **caller_credentials(caller))


def test_a_customers_completed_sales_are_listed_newest_first_in_keyset_pages_with_totals(client):
    sold = [make_sale(branch_id=b, user_id=1, lines=[(1, "10.00", 1)], customer_id=600, code=f"SUC{b:02d}")
            for b in (1, 2, 3)]
    make_sale(branch_id=1, user_id=1, lines=[(1, "10.00", 1)], customer_id=600, complete=False)  # pending
    make_sale(branch_id=1, user_id=1, lines=[(1, "99.00", 1)], customer_id=601)  # someone else
    first = _internal(client, "?customer=600&page_size=2")
    assert first.status_code == 200, first.json()
    page = first.json()
    assert [s["id"] for s in page["results"]] == [sold[2].pk, sold[1].pk]
    assert {s["branch"] for s in page["results"]} == {3, 2}
    assert (page["count"], page["total"], page["returns_total"]) == (3, "35.40", "0.00")
    rest = _internal(client, "?" + page["next"].split("?", 1)[1]).json()
    assert [s["id"] for s in rest["results"]] == [sold[0].pk] and rest["next"] is None
    assert rest["results"][0]["document_number"] == sold[0].document_number


@pytest.mark.parametrize("query", ["", "?customer=0", "?customer=x", "?customer=", f"?customer={2**63}",
                                   "?customer=1&page_size=500", "?customer=1&cursor=zz"])
def test_the_internal_sales_query_is_bounded(client, query):
    assert _internal(client, query).status_code == 400


# ventas holds no credential of callers it never answers (inventario): theirs is unknown here, 401
@pytest.mark.parametrize(("caller", "status"), [("inventario", 401), ("gateway", 403)])
def test_only_clientes_may_read_a_customers_sales(client, caller, status):
    assert _internal(client, "?customer=1", caller).status_code == status
    assert client.get("/internal/sales/?customer=1").status_code == 401
