"""RUC check: known taxpayers pass, any other last digit, prefix or length is refused."""
import pytest
from rest_framework.exceptions import ValidationError

from sis_common.tax_ids import RucField, ruc_check_digit, ruc_valid

# published RUCs of Peruvian companies and of one person
KNOWN = ["20100070970", "20131312955", "20601030013", "10467793549"]


@pytest.mark.parametrize("ruc", KNOWN)
def test_published_rucs_are_valid_and_only_their_own_check_digit_is(ruc):
    assert ruc_valid(ruc)
    others = [ruc[:10] + d for d in "0123456789" if d != ruc[10]]
    assert not any(ruc_valid(other) for other in others)


@pytest.mark.parametrize("value", ["", "2010007097", "201000709701", "30100070970", "2010007097a", " 20100070970",
                                   "20100070970\n", "２0100070970"])
def test_wrong_shapes_are_refused(value):
    assert not ruc_valid(value)


def test_the_check_digit_wraps_ten_and_eleven_to_zero_and_one():
    assert ruc_check_digit("0000000000") == 1  # weighted sum 0: 11 - 0 = 11 -> 1
    assert ruc_check_digit("0000000006") == 0  # weighted sum 12 = 1 mod 11: 11 - 1 = 10 -> 0
    assert ruc_check_digit("0000000001") == 9  # weighted sum 2: 11 - 2 = 9


def test_the_field_says_which_rule_failed():
    field = RucField()
    assert field.run_validation("20100070970") == "20100070970"
    for value, code in (("20100070971", "check_digit"), ("123", "invalid"), ("30100070970", "invalid")):
        with pytest.raises(ValidationError) as refused:
            field.run_validation(value)
        assert refused.value.get_codes() == [code], value
