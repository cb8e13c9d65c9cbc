"""Which service answers which public path prefix."""
API_TO_SERVICE = {"auth": "auth", "branches": "sucursales", "inventory": "inventario", "sales": "ventas"}
SERVICES = tuple(API_TO_SERVICE.values())
# the proxied API paths, as config/urls.py routes them and edge.fastpath recognises them
API_ROUTE = r"^api/(?P<api>auth|branches|inventory|sales)/(?P<rest>.*)$"
