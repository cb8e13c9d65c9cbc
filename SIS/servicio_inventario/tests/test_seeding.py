"""bin/seed-data's inventory side: a numbered catalogue, stock received through the ledger, sales' moves applied."""
from datetime import datetime, timezone

import pytest

from catalog.models import Product
from seed.catalog import SKU_PREFIX, product_values, search_term, seed_products_ensure, seeded_product_count
from seed.stock import SaleMove, seed_sale_moves_apply, seed_stock_ensure, seeded_products, stocked_rows
from sis_common.errors import DomainError
from stock.models import Movement, Stock, StockDocument

pytestmark = pytest.mark.django_db
BRANCHES = [501, 502]


def test_catalogue_tops_up_to_the_number_asked():
    before = seeded_product_count()
    seed_products_ensure(total=before + 12, batch=5)
    seed_products_ensure(total=before + 15, batch=5)
    seed_products_ensure(total=before + 3)  # fewer than there are: nothing to do
    assert seeded_product_count() == before + 15
    last = Product.objects.get(sku=f"{SKU_PREFIX}{before + 15:07d}")
    assert (last.name, last.barcode, last.price) == tuple(product_values(before + 15)[k]
                                                          for k in ("name", "barcode", "price"))
    assert len(search_term().split()) == 2 and search_term() == " ".join(product_values(1500)["name"].split()[:2])


def stock(branch: int, product: int) -> int:
    return Stock.objects.get(branch_id=branch, product_id=product).quantity


def test_stock_is_received_through_the_ledger_once(ledger_consistent):
    seed_products_ensure(total=seeded_product_count() + 4)
    products = seeded_products(count=4)
    assert seed_stock_ensure(branches=BRANCHES, products=products, quantity=30, min_quantity=5) == 8
    assert seed_stock_ensure(branches=BRANCHES, products=products, quantity=30, min_quantity=5) == 0
    assert stock(BRANCHES[1], products[3]) == 30
    assert Movement.objects.filter(branch_id__in=BRANCHES, kind="receipt").count() == 8
    rows = list(stocked_rows(branches=BRANCHES, products=products))
    assert {(r["branch"], r["product"], r["available"]) for r in rows} == {(b, p, 30) for b in BRANCHES
                                                                            for p in products}
    ledger_consistent()


def test_sale_moves_take_stock_once_and_keep_the_ledger_exact(ledger_consistent):
    seed_products_ensure(total=seeded_product_count() + 2)
    a, b = seeded_products(count=2)
    seed_stock_ensure(branches=BRANCHES, products=[a, b], quantity=10, min_quantity=0)
    at = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
    moves = [SaleMove(9001, BRANCHES[0], 7, at, [(a, 2), (b, 1)]), SaleMove(9002, BRANCHES[0], 7, at, [(a, 3)]),
             SaleMove(9003, BRANCHES[1], 8, at, [(b, 4)])]
    documents = seed_sale_moves_apply(moves=moves, batch=2)
    assert set(documents) == {9001, 9002, 9003}
    assert (stock(BRANCHES[0], a), stock(BRANCHES[0], b), stock(BRANCHES[1], b)) == (5, 9, 6)
    document = StockDocument.objects.get(pk=documents[9002])
    assert (document.reference, document.kind, document.user_id) == ("sale:9002", "sale", 7)
    assert [(m.quantity, m.balance_after) for m in document.movements.all()] == [(-3, 5)]
    assert seed_sale_moves_apply(moves=moves) == documents  # a re-run moves nothing twice
    assert stock(BRANCHES[0], a) == 5
    ledger_consistent()


def test_a_sale_move_beyond_the_stock_changes_nothing():
    seed_products_ensure(total=seeded_product_count() + 1)
    (a,) = seeded_products(count=1)
    seed_stock_ensure(branches=BRANCHES[:1], products=[a], quantity=2, min_quantity=0)
    at = datetime(2026, 1, 5, 12, tzinfo=timezone.utc)
    with pytest.raises(DomainError) as short:
        seed_sale_moves_apply(moves=[SaleMove(9101, BRANCHES[0], 7, at, [(a, 1)]),
                                     SaleMove(9102, BRANCHES[0], 7, at, [(a, 2)])])
    assert short.value.extra["lines"] == [{"branch": BRANCHES[0], "product": a, "requested": 2, "available": 1}]
    assert stock(BRANCHES[0], a) == 2
    assert not StockDocument.objects.filter(reference__in=["sale:9101", "sale:9102"]).exists()
