"""Who sees a product's cost: the roles that buy and price stock; a till's cashier sees the price only."""
from sis_common.auth.permissions import role_of
from sis_common.auth.roles import ADMIN, MANAGER, WAREHOUSE

COST_ROLES = frozenset({ADMIN, MANAGER, WAREHOUSE})


def cost_visible(request) -> bool:
    return role_of(request) in COST_ROLES


def shown(product: dict, request) -> dict:
    """The product as this caller may see it."""
    if cost_visible(request):
        return product
    return {k: v for k, v in product.items() if k != "cost"}
