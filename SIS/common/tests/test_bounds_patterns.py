"""The published patterns of rates and percentages accept exactly the decimal strings their bounds allow.

Checked exhaustively on the grid of their places, beyond both ends: every value a client can write.
"""
import re
from decimal import Decimal

from sis_common.bounds import PERCENT_PATTERN, RATE_PATTERN


def texts(value: Decimal, places: int) -> tuple[str, str]:
    """The value written with all its places ("0.1800") and as short as it goes ("0.18", "5")."""
    full = f"{value:.{places}f}"
    short = full.rstrip("0").rstrip(".") if "." in full else full
    return full, ("0" if short in ("", "-0") else short)


def check(pattern: str, places: int, low: Decimal, high: Decimal, span: range) -> None:
    step = Decimal(1).scaleb(-places)
    compiled = re.compile(pattern)
    for n in span:
        value = n * step
        for text in texts(value, places):
            assert bool(compiled.fullmatch(text)) is (low <= value <= high), text


def test_a_rate_is_a_fraction_0_to_1_with_at_most_4_places():
    check(RATE_PATTERN, 4, Decimal("0"), Decimal("1"), range(-15_000, 25_001))


def test_a_percent_is_0_to_100_with_at_most_2_places():
    check(PERCENT_PATTERN, 2, Decimal("0"), Decimal("100"), range(-15_000, 25_001))


def test_what_no_pattern_takes():
    for text in ("0.18000", "01", ".5", "1.", "+0.5", "1e-1", " 0.1", "0,18", "NaN", "-0"):
        assert not re.fullmatch(RATE_PATTERN, text), text
    for text in ("5.001", "005", "100.5", "1e1", "50%", "-0"):
        assert not re.fullmatch(PERCENT_PATTERN, text), text
