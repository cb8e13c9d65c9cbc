"""Which service answers which public path prefix."""
API_TO_SERVICE = {"auth": "auth", "branches": "sucursales", "inventory": "inventario", "sales": "ventas"}
SERVICES = tuple(API_TO_SERVICE.values())
