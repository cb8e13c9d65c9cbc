"""Fixtures for servicio_inventario tests: API clients holding tokens of each role, products, stock."""
import itertools
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.services import product_create
from stock.ledger import Line, stock_apply
from sis_common.testing.internal import caller_credentials
from stock.selectors import ledger_mismatches

_skus = (f"T-{i:06d}" for i in itertools.count())


@pytest.fixture(autouse=True)
def company(known_company):
    """The company settings a product created without a tax rate takes its default from (servicio_sucursales)."""
    return known_company


@pytest.fixture
def internal_client():
    client = APIClient()
    client.credentials(**caller_credentials("ventas"))
    return client


@pytest.fixture
def make_product():
    def make(name: str = "Producto", price: str = "10.00", **extra):
        return product_create(sku=extra.pop("sku", next(_skus)), name=name, price=Decimal(price), **extra)

    return make


@pytest.fixture
def receive():
    """Put `quantity` of a product into a branch through the ledger, as a receipt does."""
    def put(branch: int, product_id: int, quantity: int):
        return stock_apply(kind="receipt", lines=[Line(branch, product_id, quantity)], reference="test")

    return put


@pytest.fixture
def ledger_consistent():
    def check(branch: int | None = None) -> None:
        assert ledger_mismatches(branch=branch) == []

    return check


@pytest.fixture
def replica_synced(db_pair):
    """Wait until the replica has applied every commit (for transactional tests reading through the API)."""
    from sis_common.mariadb import replication

    def wait() -> None:
        primary, replica = replication.current_roles(db_pair.spec)
        replication.wait_caught_up(db_pair.spec, primary, replica, timeout=10)

    return wait
