"""Which service answers which public API prefix (deploy/stack.toml, passed as EWTTO_EDGE_APIS)."""
from django.conf import settings


def api_to_service() -> dict[str, str]:
    return settings.EWTTO_EDGE_APIS


def services() -> tuple[str, ...]:
    return tuple(settings.EWTTO_EDGE_APIS.values())
