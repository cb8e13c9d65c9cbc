"""Property test: random sequences of receipts, adjustments, transfers and document moves.

Whatever the sequence, stock never goes below zero, it always equals an
independent model of the expected quantities, and the ledger sums to it.
"""
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test

from catalog.services import product_create
from sis_common.errors import DomainError
from stock import services
from stock.models import Stock
from stock.selectors import ledger_mismatches

pytestmark = pytest.mark.django_db
BRANCHES = (501, 502, 503)
_skus = (f"PROP-{i:06d}" for i in itertools.count())

branches = st.sampled_from(BRANCHES)
indexes = st.integers(min_value=0, max_value=2)
amounts = st.integers(min_value=1, max_value=12)


class StockMachine(RuleBasedStateMachine):
    transfers = Bundle("transfers")

    def __init__(self):
        super().__init__()
        # fresh products per run: earlier runs' rows share the database but not these pairs
        self.products = [product_create(sku=next(_skus), name="Prop", price=Decimal("1.00")).pk for _ in range(3)]
        self.expected = {(b, p): 0 for b in BRANCHES for p in self.products}
        self.lines_of = {}

    def _take(self, branch: int, lines: dict[int, int]) -> bool:
        return all(self.expected[(branch, p)] >= q for p, q in lines.items())

    @rule(branch=branches, index=indexes, quantity=amounts)
    def receipt(self, branch, index, quantity):
        product = self.products[index]
        services.movement_create(branch_id=branch, product_id=product, kind="receipt", quantity=quantity, user_id=1)
        self.expected[(branch, product)] += quantity

    @rule(branch=branches, index=indexes, delta=st.integers(min_value=-15, max_value=15).filter(bool))
    def adjustment(self, branch, index, delta):
        product = self.products[index]
        fits = self.expected[(branch, product)] + delta >= 0
        try:
            services.movement_create(branch_id=branch, product_id=product, kind="adjustment", quantity=delta,
                                     user_id=1)
        except DomainError as refused:
            assert not fits and refused.status_code == 409
        else:
            assert fits
            self.expected[(branch, product)] += delta

    @rule(target=transfers, pair=st.lists(branches, min_size=2, max_size=2, unique=True),
          picks=st.dictionaries(indexes, amounts, min_size=1, max_size=3))
    def transfer_create(self, pair, picks):
        lines = {self.products[i]: q for i, q in picks.items()}
        transfer = services.transfer_create(from_branch=pair[0], to_branch=pair[1], lines=list(lines.items()),
                                            user_id=1)
        self.lines_of[transfer.pk] = (pair[0], pair[1], lines, "draft")
        return transfer.pk

    @rule(transfer=transfers)
    def transfer_dispatch(self, transfer):
        source, target, lines, status = self.lines_of[transfer]
        fits = status == "draft" and self._take(source, lines)
        try:
            services.transfer_dispatch(transfer_id=transfer, user_id=1)
        except DomainError as refused:
            assert not fits and refused.status_code == 409
            return
        assert fits
        for product, quantity in lines.items():
            self.expected[(source, product)] -= quantity
        self.lines_of[transfer] = (source, target, lines, "dispatched")

    @rule(transfer=transfers)
    def transfer_receive(self, transfer):
        source, target, lines, status = self.lines_of[transfer]
        try:
            services.transfer_receive(transfer_id=transfer, user_id=1)
        except DomainError:
            assert status != "dispatched"
            return
        assert status == "dispatched"
        for product, quantity in lines.items():
            self.expected[(target, product)] += quantity
        self.lines_of[transfer] = (source, target, lines, "received")

    @rule(transfer=consumes(transfers))
    def transfer_cancel(self, transfer):
        source, target, lines, status = self.lines_of[transfer]
        try:
            services.transfer_cancel(transfer_id=transfer)
        except DomainError:
            assert status != "draft"
        else:
            assert status == "draft"

    @rule(kind=st.sampled_from(["sale", "return"]), branch=branches,
          picks=st.dictionaries(indexes, amounts, min_size=1, max_size=3))
    def document_move(self, kind, branch, picks):
        lines = {self.products[i]: q for i, q in picks.items()}
        fits = kind == "return" or self._take(branch, lines)
        try:
            services.document_move_create(kind=kind, branch_id=branch, reference="PROP", user_id=1,
                                          lines=list(lines.items()))
        except DomainError as refused:
            assert not fits and refused.status_code == 409
            return
        assert fits
        for product, quantity in lines.items():
            self.expected[(branch, product)] += quantity if kind == "return" else -quantity

    @invariant()
    def stock_matches_model_and_ledger(self):
        rows = {(s.branch_id, s.product_id): s.quantity
                for s in Stock.objects.filter(product_id__in=self.products)}
        for pair, expected in self.expected.items():
            assert rows.get(pair, 0) == expected
            assert expected >= 0
        for branch in BRANCHES:
            assert [m for m in ledger_mismatches(branch=branch) if m["product"] in self.products] == []


def test_random_sequences_keep_stock_and_ledger_consistent():
    run_state_machine_as_test(StockMachine, settings=settings(
        max_examples=30, stateful_step_count=20, deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    ))
