import pytest
pytestmark = pytest.mark.django_db
def test_x(admin_client, make_product):
    product = make_product()
    body = {"from_branch": 201, "to_branch": 202,
            "lines": [{"product": product.pk, "quantity": 1}, {"product": 99999999, "quantity": 1},
                      {"product": product.pk, "quantity": 0}]}
    print(admin_client.post("/api/inventory/transfers/", body, format="json").json())
    body["lines"][2]["quantity"] = 1
    print(admin_client.post("/api/inventory/transfers/", body, format="json").json())
