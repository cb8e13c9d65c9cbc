"""Customers API: documents checked by type and unique per type, search and the POS lookup, who may do what."""
import threading

import pytest
from django.db import connections
from django.db.models import F
from rest_framework.test import APIClient

from customers.models import Customer

from .builders import customer_body, new_dni, new_ruc, new_tag

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
URL = "/api/customers/"
FIELDS = {"id", "doc_type", "doc_number", "name", "email", "phone", "address", "points", "is_active"}


def create(client, **extra):
    answer = client.post(URL, customer_body(**extra), format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def stored() -> int:
    return Customer.objects.using("default").count()


def test_a_cashier_creates_reads_and_edits_a_customer(client_for):
    cashier = client_for("cashier", branches=[1])
    body = customer_body(email="rosa@example.com", phone="+51 987 654 321", address="Jr. Lampa 200")
    created = cashier.post(URL, body, format="json")
    assert created.status_code == 201, created.content
    customer = created.json()
    assert set(customer) == FIELDS
    assert {k: customer[k] for k in body} == body and (customer["points"], customer["is_active"]) == (0, True)
    assert cashier.get(f"{URL}{customer['id']}/").json() == customer
    edited = cashier.patch(f"{URL}{customer['id']}/", {"name": "Rosa Mamani Quispe", "is_active": False},
                           format="json")
    assert edited.status_code == 200, edited.content
    assert (edited.json()["name"], edited.json()["is_active"], edited.json()["doc_number"]) == \
        ("Rosa Mamani Quispe", False, body["doc_number"])
    # its own document again is no duplicate; points are the ledger's, not the caller's
    again = cashier.patch(f"{URL}{customer['id']}/", {"doc_type": "dni", "doc_number": body["doc_number"],
                                                      "points": 500}, format="json")
    assert again.status_code == 200 and again.json()["points"] == 0


def test_a_walk_in_customer_needs_only_a_name(client_for):
    answer = client_for("cashier", branches=[2]).post(URL, {"name": "Cliente de paso"}, format="json")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["doc_type"], answer.json()["doc_number"]) == ("none", "")


@pytest.mark.parametrize("doc_type, number, stored_as", [
    ("dni", "45678912", "45678912"), ("dni", " 00000001 ", "00000001"),
    ("ruc", "20100070970", "20100070970"), ("ruc", "10456789120", None), ("ruc", "15000000010", None),
    ("ce", "001234567", "001234567"), ("ce", "ab12", "AB12"), ("ce", "X" * 12, "X" * 12),
    ("passport", "a1234567", "A1234567"), ("passport", "123456", "123456"), ("passport", "P" * 12, "P" * 12),
    ("none", "", ""),
])
def test_valid_documents_are_stored_normalized(client_for, doc_type, number, stored_as):
    if doc_type == "ruc" and stored_as is None:
        number = new_ruc(number[:2])  # a fresh valid RUC of that taxpayer type
        stored_as = number
    Customer.objects.filter(doc_type=doc_type, doc_number=stored_as).delete()
    answer = client_for("admin").post(URL, {"doc_type": doc_type, "doc_number": number, "name": "x"}, format="json")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["doc_type"], answer.json()["doc_number"]) == (doc_type, stored_as)


@pytest.mark.parametrize("doc_type, number, code", [
    ("dni", "1234567", "invalid_document"), ("dni", "123456789", "invalid_document"),
    ("dni", "1234567a", "invalid_document"), ("dni", "", "document_required"), ("dni", "１２３４５６７８", "invalid_document"),
    ("ruc", "20100070971", "check_digit"), ("ruc", "20100070972", "check_digit"),
    ("ruc", "10456789121", "check_digit"),
    ("ruc", "2010007097", "invalid_document"), ("ruc", "30100070970", "invalid_document"),
    ("ruc", "201000709700", "invalid_document"), ("ruc", "2010007097000", "invalid"), ("ruc", "", "document_required"),
    ("ce", "ABC-123", "invalid_document"), ("ce", "ABCDEFGHIJKLM", "invalid"), ("ce", "", "document_required"),
    ("passport", "A1234", "invalid_document"), ("passport", "A12 345", "invalid_document"),
    ("passport", "Ñ123456", "invalid_document"), ("passport", "", "document_required"),
    ("none", "12345678", "document_not_allowed"),
    ("dni", 45678912, "invalid"), ("cpf", "12345678", "invalid"), (None, "12345678", "invalid"),
])
def test_an_invalid_document_is_a_400_and_stores_nothing(client_for, doc_type, number, code):
    before = stored()
    answer = client_for("admin").post(URL, {"doc_type": doc_type, "doc_number": number, "name": "x"}, format="json")
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert body["code"] == code and ({"doc_number", "doc_type"} & set(body)), body
    assert stored() == before


def test_a_ruc_check_digit_table(client_for):
    admin = client_for("admin")
    first_ten = new_ruc()[:10]
    outcomes = {}
    for digit in range(10):
        answer = admin.post(URL, {"doc_type": "ruc", "doc_number": f"{first_ten}{digit}", "name": "x"},
                            format="json")
        outcomes[digit] = answer.status_code
    assert sorted(outcomes.values()) == [201] + [400] * 9, outcomes


def test_a_document_is_unique_per_type(client_for):
    admin = client_for("admin")
    first = create(admin)
    before = stored()
    duplicate = admin.post(URL, customer_body(doc_number=first["doc_number"]), format="json")
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "duplicate_document", duplicate.content
    assert "doc_number" in duplicate.json() and stored() == before
    # the same number under another type is another document (a CE may read like a DNI)
    create(admin, doc_type="ce", doc_number=first["doc_number"])
    other = create(admin)
    clash = admin.patch(f"{URL}{other['id']}/", {"doc_number": first["doc_number"]}, format="json")
    assert clash.status_code == 400 and clash.json()["code"] == "duplicate_document"
    assert Customer.objects.using("default").get(pk=other["id"]).doc_number == other["doc_number"]
    # customers without a document never clash
    for _ in range(2):
        create(admin, doc_type="none", doc_number="")


def test_two_creations_of_one_document_at_once_store_one(client_for):
    number = new_dni()
    answers, start = [], threading.Barrier(4)

    def post():
        start.wait()
        answers.append(client_for("cashier", branches=[1]).post(
            URL, customer_body(doc_number=number), format="json"))
        connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201, 400, 400, 400], [a.content for a in answers]
    assert {a.json()["code"] for a in answers if a.status_code == 400} == {"duplicate_document"}
    assert Customer.objects.using("default").filter(doc_type="dni", doc_number=number).count() == 1


def test_changing_the_type_checks_the_number_again(client_for):
    admin = client_for("admin")
    customer = create(admin)
    # a DNI is no RUC; dropping the document empties the number
    refused = admin.patch(f"{URL}{customer['id']}/", {"doc_type": "ruc"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "document_required"
    refused = admin.patch(f"{URL}{customer['id']}/", {"doc_type": "ruc", "doc_number": customer["doc_number"]},
                          format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_document"
    ruc = new_ruc()
    assert admin.patch(f"{URL}{customer['id']}/", {"doc_type": "ruc", "doc_number": ruc},
                       format="json").json()["doc_number"] == ruc
    dropped = admin.patch(f"{URL}{customer['id']}/", {"doc_type": "none"}, format="json").json()
    assert (dropped["doc_type"], dropped["doc_number"]) == ("none", "")
    assert admin.patch(f"{URL}{customer['id']}/", {"doc_number": "12345678"}, format="json").json()["code"] == \
        "document_not_allowed"


def test_search_finds_prefixes_of_document_name_and_phone(client_for):
    admin = client_for("admin")
    tag = new_tag("S")
    by_name = create(admin, name=f"{tag} Condori")
    by_phone = create(admin, name="Luis Apaza", phone=f"9{tag[1:8].translate(str.maketrans('abcdef', '123456'))}")
    found = admin.get(URL, {"search": tag.lower()}).json()["results"]
    assert [c["id"] for c in found] == [by_name["id"]]
    assert [c["id"] for c in admin.get(URL, {"search": by_phone["phone"][:6]}).json()["results"]] == \
        [by_phone["id"]]
    number = by_name["doc_number"]
    assert by_name["id"] in [c["id"] for c in admin.get(URL, {"search": number}).json()["results"]]
    # a prefix, not any substring
    assert admin.get(URL, {"search": tag[3:]}).json()["results"] == []
    assert admin.get(URL, {"search": "x" * 41}).status_code == 400
    assert admin.get(f"{URL}?search=").status_code == 400


def test_the_pos_looks_a_customer_up_by_its_document(client_for):
    cashier = client_for("cashier", branches=[1])
    ruc = new_ruc()
    company = create(client_for("admin"), doc_type="ruc", doc_number=ruc, name="Ferretería Los Andes S.A.C.")
    create(client_for("admin"), doc_type="ce", doc_number=ruc)
    found = cashier.get(URL, {"doc_type": "ruc", "doc_number": ruc}).json()
    assert (found["count"], found["results"][0]["id"]) == (1, company["id"])
    assert cashier.get(URL, {"doc_type": "ruc", "doc_number": ruc[:-1]}).json()["count"] == 0
    assert cashier.get(URL, {"doc_type": "dni"}).status_code == 200
    missing_type = cashier.get(URL, {"doc_number": ruc})
    assert missing_type.status_code == 400 and "doc_type" in missing_type.json()
    assert cashier.get(URL, {"doc_type": "cpf", "doc_number": ruc}).status_code == 400
    inactive = cashier.get(URL, {"doc_type": "ruc", "doc_number": ruc, "is_active": "false"}).json()
    assert inactive["count"] == 0


@pytest.mark.parametrize("role", ["admin", "manager", "cashier"])
def test_tills_and_managers_write_on_every_branch(client_for, role):
    # customers are company-wide: a cashier of branch 2 edits one created at branch 1
    customer = create(client_for("cashier", branches=[1]))
    client = client_for(role, branches=[2])
    assert client.patch(f"{URL}{customer['id']}/", {"phone": "01 444 5555"}, format="json").status_code == 200
    assert client.get(URL).status_code == 200


def test_auditors_read_only_and_other_roles_not_at_all(client_for):
    customer = create(client_for("admin"))
    auditor = client_for("auditor")
    assert auditor.get(f"{URL}{customer['id']}/").status_code == 200
    assert auditor.post(URL, customer_body(), format="json").status_code == 403
    assert auditor.patch(f"{URL}{customer['id']}/", {"name": "x"}, format="json").status_code == 403
    for role in ("warehouse", "purchaser"):
        client = client_for(role, branches=[1])
        for answer in (client.get(URL), client.get(f"{URL}{customer['id']}/"),
                       client.post(URL, customer_body(), format="json")):
            assert answer.status_code == 403 and answer.json()["code"] == "permission_denied", role
    assert APIClient().get(URL).status_code == 401


def test_bad_fields_and_unknown_ids_are_4xx(client_for):
    admin = client_for("admin")
    before = stored()
    for field, value in (("name", ""), ("name", "x" * 121), ("email", "not-an-email"), ("phone", "call me"),
                         ("phone", "9" * 41), ("address", "x" * 256), ("is_active", "yes"), ("name", None)):
        answer = admin.post(URL, customer_body(**{field: value}), format="json")
        assert answer.status_code == 400 and field in answer.json(), (field, value, answer.content)
    assert stored() == before
    assert admin.get(f"{URL}999999999/").status_code == 404
    assert admin.get(f"{URL}99999999999999999999/").status_code == 404
    assert admin.patch(f"{URL}999999999/", {"name": "x"}, format="json").status_code == 404
    assert admin.delete(f"{URL}1/").status_code == 405


def test_edits_leave_the_points_balance_to_the_ledger(client_for):
    admin = client_for("admin")
    customer = create(admin)
    # what loyalty's ledger does: the balance changed under its own lock
    Customer.objects.using("default").filter(pk=customer["id"]).update(points=F("points") + 120)
    assert admin.patch(f"{URL}{customer['id']}/", {"name": "Otra"}, format="json").json()["points"] == 120
    assert admin.post(f"{URL}{customer['id']}/anonymize/", HTTP_IDEMPOTENCY_KEY=new_tag()).json()["points"] == 120
    assert Customer.objects.using("default").get(pk=customer["id"]).points == 120
