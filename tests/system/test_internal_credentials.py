"""Internal endpoints on a running stack: each service's own credential, and only where the table allows it."""
import requests

from sales_support import api, create_branch, create_product, new_key, stock_of

MOVES = "/internal/inventory/stock-moves/"


def credential(stack, caller: str, token: str | None = None) -> dict:
    return {"X-Internal-Caller": caller,
            "X-Internal-Token": token if token is not None else stack.secrets.value(f"internal_{caller}")}


def test_inventory_moves_stock_for_ventas_only(stack):
    admin = api(stack, role="admin")
    branch = create_branch(admin)["id"]
    product = create_product(admin, "1.00", 5, branch)
    body = {"kind": "sale", "branch": branch, "reference": "probe", "user": None,
            "lines": [{"product": product, "quantity": 1}]}
    inventory = stack.url("inventario")

    def post(headers):
        return requests.post(inventory + MOVES, json=body, timeout=10,
                             headers={**headers, "Idempotency-Key": new_key("internal")})

    # the gateway's and auth's genuine secrets: the gateway may read inventory's /health, not move stock
    assert post(credential(stack, "gateway")).status_code == 403
    assert post(credential(stack, "auth")).status_code == 401
    assert post(credential(stack, "ventas", "guess")).status_code == 401
    assert post(credential(stack, "ventas", stack.secrets.value("internal_gateway"))).status_code == 401
    assert post({}).status_code == 401
    assert stock_of(admin, branch, product) == 5
    moved = post(credential(stack, "ventas"))
    assert moved.status_code == 201, moved.text
    assert stock_of(admin, branch, product) == 4


def test_only_the_gateway_gets_a_services_node_details(stack):
    for caller, detailed in (("gateway", True), ("ventas", False)):
        # as if relayed from elsewhere: on loopback itself every caller is an operator
        headers = {**credential(stack, caller), "X-Forwarded-For": "198.51.100.9"}
        body = requests.get(stack.url("sucursales") + "/health", headers=headers, timeout=10).json()
        assert ("db" in body) is detailed, caller
