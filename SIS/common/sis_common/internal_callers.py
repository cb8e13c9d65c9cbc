"""Which service may call which internal endpoint of which service: the one table receivers and deployments read."""
from __future__ import annotations

import hashlib

OWN_TOKEN_ENV = "EWTTO_INTERNAL_TOKEN"  # this service's own secret, when it calls others
ACCEPTED_ENV = "EWTTO_INTERNAL_CALLERS"  # name:sha256hex,... of the callers this service answers
HEALTH = "health"  # the node details of /health (sis_common.health)

# receiver -> its internal endpoint -> the callers it answers. A receiver is given the digests of
# the callers named here only; a caller's own secret goes only to the services that name it.
EXPECTED_CALLERS: dict[str, dict[str, frozenset[str]]] = {
    "auth": {"approvals": frozenset({"ventas"}), HEALTH: frozenset({"gateway"})},
    "sucursales": {"branches": frozenset({"auth", "inventario", "ventas", "compras"}),
                   "company": frozenset({"inventario", "ventas"}), HEALTH: frozenset({"gateway"})},
    "inventario": {"products": frozenset({"ventas", "compras"}), "stock-moves": frozenset({"ventas", "compras"}),
                   "stock": frozenset({"compras"}), HEALTH: frozenset({"gateway"})},
    "ventas": {"sales": frozenset({"clientes"}), HEALTH: frozenset({"gateway"})},
    "compras": {HEALTH: frozenset({"gateway"})},
    "clientes": {"customers": frozenset({"ventas"}), "loyalty": frozenset({"ventas"}), HEALTH: frozenset({"gateway"})},
    "gateway": {},
}

# endpoints a caller drives again later for the user who asked (ventas' reconciler retries a pending
# sale, compras' a pending receipt): there, from these callers only, the user's genuine access token still counts for
# settings.ACTING_TOKEN_GRACE_SECONDS after it expired (sis_common.auth.acting)
RETRYING_CALLERS: dict[tuple[str, str], frozenset[str]] = {
    ("inventario", "stock-moves"): frozenset({"ventas", "compras"}),
}


def may_retry(caller: str | None, receiver: str, endpoint: str) -> bool:
    return may_call(caller, receiver, endpoint) and caller in RETRYING_CALLERS.get((receiver, endpoint), frozenset())


def may_call(caller: str | None, receiver: str, endpoint: str) -> bool:
    return caller is not None and caller in EXPECTED_CALLERS.get(receiver, {}).get(endpoint, frozenset())


def accepted_by(receiver: str) -> frozenset[str]:
    """Every caller the receiver answers on some internal endpoint: whose digests it holds."""
    return frozenset().union(*EXPECTED_CALLERS.get(receiver, {}).values())


def callers() -> frozenset[str]:
    """The services that call some other service internally: each holds a secret of its own."""
    return frozenset().union(*(accepted_by(receiver) for receiver in EXPECTED_CALLERS))


def secret_name(caller: str) -> str:
    """The name of a caller's secret in the stack's secrets (sis_ops.secrets)."""
    return f"internal_{caller}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def service_env(service: str, secret) -> dict[str, str]:
    """The internal-credential variables of one service; `secret(name)` reads the stack's secrets."""
    env = {ACCEPTED_ENV: ",".join(f"{caller}:{digest(secret(secret_name(caller)))}"
                                  for caller in sorted(accepted_by(service)))}
    if service in callers():
        env[OWN_TOKEN_ENV] = secret(secret_name(service))
    return env
