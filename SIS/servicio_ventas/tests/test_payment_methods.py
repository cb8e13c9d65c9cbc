"""Payment methods are defined once (sales.models.PaymentMethod); the columns that hold an amount per method follow it."""
from cash.models import CashSession
from reports.models import DailyBranchTotals, DailyCashierTotals
from sales.pricing import METHODS


def test_every_method_has_its_columns():
    wanted = {
        CashSession: [f"{kind}_{m}" for kind in ("expected", "counted") for m in METHODS],
        DailyBranchTotals: [*METHODS, *(f"refund_{m}" for m in METHODS)],
        DailyCashierTotals: list(METHODS),
    }
    missing = [f"{model.__name__}.{name}" for model, names in wanted.items() for name in names
               if name not in {f.name for f in model._meta.get_fields()}]
    assert missing == []
