"""Out-of-range ids in paths are a JSON 404, never a 500."""
import pytest

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


@pytest.mark.parametrize("method, url", [
    ("get", f"/api/inventory/products/{HUGE}/"),
    ("get", f"/api/inventory/categories/{HUGE}/"),
    ("get", f"/api/inventory/stock/{HUGE}/{HUGE}/"),
    ("get", f"/api/inventory/transfers/{HUGE}/"),
    ("post", f"/api/inventory/transfers/{HUGE}/dispatch/"),
    ("patch", f"/api/inventory/stock/1/{HUGE}/"),
])
def test_huge_ids_in_paths(admin_client, method, url):
    response = getattr(admin_client, method)(url, {"min_quantity": 1}, format="json")
    assert response.status_code in (400, 404), response.content
    assert response.json()["code"]
