"""The sales list: newest first, in keyset pages that cost the same at any depth, filters kept across pages."""
import pytest

from .builders import make_sale

pytestmark = pytest.mark.django_db(databases=["default", "replica"])
BRANCH = 431


def ids(page: dict) -> list[int]:
    return [sale["id"] for sale in page["results"]]


def test_pages_go_newest_first_and_back(admin_client):
    made = [make_sale(branch_id=BRANCH, user_id=7, lines=[(1, "1.00", 1)], code="PG").pk for _ in range(5)]
    first = admin_client.get(f"/api/sales/?branch={BRANCH}&page_size=2").json()
    assert ids(first) == made[:-3:-1] and first["previous"] is None and "count" not in first
    second = admin_client.get(first["next"]).json()
    third = admin_client.get(second["next"]).json()
    assert ids(second) == [made[2], made[1]] and ids(third) == [made[0]] and third["next"] is None
    assert ids(admin_client.get(third["previous"]).json()) == ids(second)


def test_filters_hold_on_every_page(admin_client):
    mine = [make_sale(branch_id=BRANCH + 1, user_id=7, lines=[(1, "1.00", 1)], code="PF").pk for _ in range(3)]
    make_sale(branch_id=BRANCH + 2, user_id=7, lines=[(1, "1.00", 1)], code="PX")
    first = admin_client.get(f"/api/sales/?branch={BRANCH + 1}&page_size=2").json()
    rest = admin_client.get(first["next"]).json()
    assert ids(first) + ids(rest) == mine[::-1]


@pytest.mark.parametrize("query", ["cursor=not-a-cursor", "page_size=0", "page_size=201", "branch=x"])
def test_bad_paging_or_filters_are_a_400(admin_client, query):
    answer = admin_client.get(f"/api/sales/?{query}")
    assert answer.status_code == 400 and answer.json()["code"]
