"""`ewtto_bootstrap`: demo catalogue and stock at branches 1 and 2 on EWTTO_DEMO=1, idempotent by SKU."""
from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Product
from seed.demo import DEMO_BRANCHES, DEMO_PRODUCTS
from stock.models import Movement, Stock
from stock.selectors import ledger_mismatches

pytestmark = pytest.mark.django_db


def bootstrap() -> list[str]:
    out = StringIO()
    call_command("ewtto_bootstrap", stdout=out)
    return out.getvalue().splitlines()


def test_demo_catalogue_once_with_stock_through_the_ledger(monkeypatch):
    monkeypatch.setenv("EWTTO_DEMO", "1")
    lines = bootstrap()
    assert len(lines) == 1 and "BEB-001" in lines[0]
    skus = [p[0] for p in DEMO_PRODUCTS]
    assert Product.objects.filter(sku__in=skus).count() == len(skus)
    for branch, units in DEMO_BRANCHES.items():
        quantities = Stock.objects.filter(branch_id=branch, product__sku__in=skus).values_list("quantity", flat=True)
        assert list(quantities) == [units] * len(skus)
    assert ledger_mismatches() == []
    assert bootstrap() == []
    assert Movement.objects.filter(reference="demo-bootstrap").count() == len(skus) * len(DEMO_BRANCHES)


def test_no_demo_without_ewtto_demo_or_in_production(monkeypatch, settings):
    monkeypatch.setenv("EWTTO_DEMO", "0")
    assert bootstrap() == []
    monkeypatch.setenv("EWTTO_DEMO", "1")
    settings.SETTINGS_MODULE = "config.settings.production"
    assert bootstrap() == []
    assert not Product.objects.filter(sku="BEB-001").exists()
