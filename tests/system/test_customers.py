"""servicio_clientes through the gateway of a whole stack: customers by document, the POS lookup, anonymization,
and ventas' internal read through clientes' own nginx (never through the gateway)."""
import uuid

import requests

from sales_support import api, new_key, replicas_caught_up

from sis_common.tax_ids import ruc_check_digit

URL = "/api/customers/"


def new_ruc() -> str:
    first_ten = f"20{uuid.uuid4().int % 10**8:08d}"
    return first_ten + str(ruc_check_digit(first_ten))


def test_a_cashier_creates_a_company_and_finds_it_by_its_ruc(stack):
    cashier = api(stack, role="cashier", branches=[1], user_id=741)
    ruc = new_ruc()
    company = cashier.ok("post", URL, {"doc_type": "ruc", "doc_number": ruc, "name": "Importadora Callao S.A.C.",
                                       "address": "Av. Colonial 1500"}, expect=201)
    replicas_caught_up(stack, ("clientes",))  # lists read the replica
    found = cashier.ok("get", f"{URL}?doc_type=ruc&doc_number={ruc}")
    assert [c["id"] for c in found["results"]] == [company["id"]]
    assert [c["id"] for c in cashier.ok("get", f"{URL}?search={ruc[:6]}")["results"]].count(company["id"]) == 1
    for number, code in ((ruc, "duplicate_document"), (ruc[:-1] + str((int(ruc[-1]) + 1) % 10), "check_digit")):
        refused = cashier.post(URL, {"doc_type": "ruc", "doc_number": number, "name": "x"})
        assert refused.status_code == 400 and refused.json()["code"] == code, refused.text
    assert api(stack, role="warehouse", branches=[1]).get(URL).status_code == 403


def test_ventas_reads_a_customer_on_clientes_sidecar_only(stack):
    admin = api(stack, role="admin")
    customer = admin.ok("post", URL, {"doc_type": "dni", "doc_number": f"{uuid.uuid4().int % 10**8:08d}",
                                      "name": "Jorge Ccori"}, expect=201)
    path = f"/internal/customers/{customer['id']}/"
    ventas = {"X-Internal-Caller": "ventas", "X-Internal-Token": stack.secrets.value("internal_ventas")}
    answer = requests.get(stack.url("clientes") + path, headers=ventas, timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"id": customer["id"], "doc_type": "dni", "doc_number": customer["doc_number"],
                             "name": "Jorge Ccori", "address": "", "is_active": True}
    # the gateway's genuine credential is for /health only; compras is not one clientes answers at all
    for caller, status in (("gateway", 403), ("compras", 401)):
        other = {"X-Internal-Caller": caller, "X-Internal-Token": stack.secrets.value(f"internal_{caller}")}
        assert requests.get(stack.url("clientes") + path, headers=other, timeout=10).status_code == status, caller
    assert requests.get(stack.url() + path, headers=ventas, timeout=10).status_code == 404
    # anonymized: ventas still finds the id, and nobody behind it
    admin.ok("post", f"{URL}{customer['id']}/anonymize/", {}, key=new_key("anon"))
    after = requests.get(stack.url("clientes") + path, headers=ventas, timeout=10).json()
    assert after == {"id": customer["id"], "doc_type": "none", "doc_number": "", "name": "Anonymized", "address": "",
                     "is_active": False}
