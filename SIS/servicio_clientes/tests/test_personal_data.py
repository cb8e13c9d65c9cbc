"""A customer's personal data: an admin exports all of it, or anonymizes the customer (the id stays for sales)."""
import uuid

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model

from customers.models import Customer
from sis_common.audit.models import AuditEvent

from .builders import customer_body

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
URL = "/api/customers/"


def create(client, **extra):
    answer = client.post(URL, customer_body(**extra), format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def anonymize(client, customer_id, key=None):
    return client.post(f"{URL}{customer_id}/anonymize/", HTTP_IDEMPOTENCY_KEY=key or uuid.uuid4().hex)


def test_an_admin_exports_everything_held_on_a_customer(client_for):
    admin = client_for("admin")
    customer = create(admin, email="ana@example.com", phone="999 111 222", address="Calle 1")
    answer = admin.get(f"{URL}{customer['id']}/export/")
    assert answer.status_code == 200, answer.content
    exported = answer.json()["customer"]
    assert {k: exported[k] for k in customer} == customer
    assert exported["anonymized_at"] is None and exported["created_at"] and exported["updated_at"]
    assert admin.get(f"{URL}999999999/export/").status_code == 404


@pytest.mark.parametrize("role", ["manager", "cashier", "auditor", "warehouse"])
def test_only_admins_export_or_anonymize(client_for, role):
    customer = create(client_for("admin"))
    client = client_for(role, branches=[1])
    assert client.get(f"{URL}{customer['id']}/export/").status_code == 403
    assert anonymize(client, customer["id"]).status_code == 403
    assert Customer.objects.using("default").get(pk=customer["id"]).anonymized_at is None


def test_anonymizing_empties_the_customer_and_the_trail_of_it(client_for, admin_browser):
    admin = client_for("admin")
    body = customer_body(email="gerencia@empresa.pe", phone="01 222 3333", address="Av. Arequipa 1000")
    customer = admin.post(URL, body, format="json").json()
    admin.patch(f"{URL}{customer['id']}/", {"name": "Ana Torres Ruiz"}, format="json")
    staff = get_user_model().objects.create(username=f"root-{uuid.uuid4().hex[:8]}", is_staff=True, is_superuser=True)
    form = {"name": "Ana Torres R.", "email": body["email"], "phone": body["phone"], "address": body["address"],
            "is_active": "on"}
    assert admin_browser(staff).post(f"/admin/clientes/customers/customer/{customer['id']}/change/",
                                     form).status_code == 302

    answer = anonymize(admin, customer["id"])
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"id": customer["id"], "doc_type": "none", "doc_number": "", "name": "Anonymized",
                             "email": "", "phone": "", "address": "", "points": 0, "is_active": False}
    exported = admin.get(f"{URL}{customer['id']}/export/").json()["customer"]
    assert exported["anonymized_at"] and exported["name"] == "Anonymized"
    # nothing the service keeps names the customer any more
    events = AuditEvent.objects.using("default").filter(object_id=str(customer["id"]))
    kept = " ".join(f"{e.changes} {e.summary}" for e in events)
    for secret in (body["doc_number"], "Ana", "Torres", body["email"], "Arequipa", "222 3333"):
        assert secret not in kept, secret
    logged = LogEntry.objects.using("default").filter(object_id=str(customer["id"]))
    assert logged.exists() and all("Ana" not in e.object_repr + e.change_message for e in logged)
    # the document may be given to a new customer; the anonymized one is not filled in again
    assert create(admin, doc_number=body["doc_number"])["doc_number"] == body["doc_number"]
    refused = admin.patch(f"{URL}{customer['id']}/", {"name": "Ana"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "customer_anonymized"
    assert admin_browser(staff).post(f"/admin/clientes/customers/customer/{customer['id']}/change/",
                                     form).status_code == 302
    assert Customer.objects.using("default").get(pk=customer["id"]).name == "Anonymized"


def test_anonymize_needs_a_key_and_replays_its_answer(client_for):
    admin = client_for("admin")
    customer = create(admin)
    missing = admin.post(f"{URL}{customer['id']}/anonymize/")
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_required"
    assert Customer.objects.using("default").get(pk=customer["id"]).anonymized_at is None
    key = uuid.uuid4().hex
    first = anonymize(admin, customer["id"], key)
    again = anonymize(admin, customer["id"], key)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    # another key on an anonymized customer changes nothing and answers the same
    assert anonymize(admin, customer["id"]).json() == first.json()
    assert anonymize(admin, 999999999).status_code == 404
