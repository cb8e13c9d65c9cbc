"""`ewtto_bootstrap`: demo branches SUC01 (id 1) and SUC02 (id 2) on EWTTO_DEMO=1, idempotently."""
from io import StringIO

import pytest
from django.core.management import call_command

from branches.models import Branch
from company.models import Company

pytestmark = pytest.mark.django_db


def bootstrap() -> list[str]:
    out = StringIO()
    call_command("ewtto_bootstrap", stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def empty_ids():
    Branch.objects.filter(pk__in=[1, 2]).delete()
    Branch.objects.filter(code__in=["SUC01", "SUC02"]).delete()
    Company.objects.all().delete()


def test_demo_branches_created_once_with_fixed_ids(monkeypatch, empty_ids, admin_client):
    monkeypatch.setenv("EWTTO_DEMO", "1")
    first = bootstrap()
    assert len(first) == 3 and "SUC01" in first[0] and "SUC02" in first[1] and "20601234567" in first[2]
    company = admin_client.get("/api/branches/company/").json()
    assert (company["name"], company["tax_id"], company["default_tax_rate"]) == ("Bodega E-WTTO", "20601234567",
                                                                                 "0.1800")
    assert Branch.objects.get(pk=1).receipt_footer.startswith("Gracias")
    assert Branch.objects.get(pk=1).code == "SUC01"
    assert Branch.objects.get(pk=2).code == "SUC02"
    assert bootstrap() == []
    assert Branch.objects.filter(code__in=["SUC01", "SUC02"]).count() == 2


def test_no_demo_without_ewtto_demo(monkeypatch, empty_ids):
    monkeypatch.setenv("EWTTO_DEMO", "0")
    assert bootstrap() == []
    assert not Branch.objects.filter(code="SUC01").exists()
    assert not Company.objects.exists()


def test_saved_company_settings_are_not_replaced_by_the_demo(monkeypatch, empty_ids, admin_client):
    admin_client.patch("/api/branches/company/", {"name": "Mi Tienda"}, format="json")
    monkeypatch.setenv("EWTTO_DEMO", "1")
    assert not any("demo company" in line for line in bootstrap())
    assert admin_client.get("/api/branches/company/").json()["name"] == "Mi Tienda"


def test_no_demo_under_production_settings(monkeypatch, settings, empty_ids):
    monkeypatch.setenv("EWTTO_DEMO", "1")
    settings.SETTINGS_MODULE = "config.settings.production"
    assert bootstrap() == []
    assert not Branch.objects.filter(code="SUC01").exists()


def test_taken_id_is_reported_not_overwritten(monkeypatch, empty_ids):
    monkeypatch.setenv("EWTTO_DEMO", "1")
    Branch.objects.create(id=1, code="OTHER", name="Otra")
    lines = bootstrap()
    assert "not created" in lines[0]
    assert "demo company" in lines[-1]
    assert Branch.objects.get(pk=1).code == "OTHER"
    assert Branch.objects.get(pk=2).code == "SUC02"
