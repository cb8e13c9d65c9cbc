"""GTID containment: when one node's history is within another's."""
from sis_common.mariadb.gtid import Gtid, contains, merge, not_contained


def test_a_position_behind_on_the_same_server_is_contained():
    assert contains("0-11-100", "0-11-99")
    assert contains("0-11-100", "")


def test_a_transaction_the_other_never_logged_is_not_contained():
    # the old primary logged 0-11-100; the promoted replica stopped at 99 and wrote its own 100, 101
    assert not_contained("0-11-100", "0-11-99,0-12-101") == [Gtid(0, 11, 100)]


def test_history_from_several_servers_and_domains():
    state = "0-11-99,0-12-101,1-11-5"
    assert contains(state, "0-12-101,1-11-5")
    assert not contains(state, "1-11-6")
    assert not contains(state, "2-11-1")


def test_merge_keeps_the_highest_per_domain_and_server():
    assert merge("0-11-5,0-12-3", "0-11-7", None, "") == "0-11-7,0-12-3"
