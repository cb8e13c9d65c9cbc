"""What the shared suites need to know of a service's resource: where it lives, how to make one, its admin form."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sis_common.auth.roles import ROLES, STAFF_ROLES

# the roles that neither audit nor operate: refused the audit trail, shown only a status by /health
NON_STAFF_ROLES = tuple(role for role in ROLES if role not in STAFF_ROLES)


@dataclass(frozen=True)
class Resource:
    """A resource an admin creates, lists, reads, renames and retires through the API and the Django admin."""

    slug: str  # the service's slug: its pair, its audit rows' service, its log lines
    api: str  # /api/<api>/health/, /api/<api>/audit/
    # the rest is what the pair, metrics and audit suites use; HealthSuite needs only slug and api
    list_path: str = ""  # "/api/purchasing/suppliers/"; its detail is list_path + "<id>/"
    model: type | None = None  # the Django model a create writes
    body: Callable[..., dict] | None = None  # a new valid create body, never used before; keyword fields override
    admin_path: str = ""  # "/admin/compras/suppliers/supplier/": add/ and <id>/change/ below it
    admin_form: Callable[[dict], dict] | None = None  # the admin's add form holding a create body
    retire: str = "delete"  # "delete": DELETE answers 204; "deactivate": PATCH {"is_active": false}
    key: str = "code"  # a field unique per row: in the list's results, the audit summary, str(object)
    invalid_body: dict = field(default_factory=lambda: {"name": "no code"})  # a create refused with a 400
    admin_invalid: dict = field(default_factory=lambda: {"code": ""})  # an admin form answered with its errors
    detail_label: str = "<pk>/"  # /metrics' label of the detail route below the list
    refused_role: str = "cashier"  # a role whose create is refused (403)
    admin_key: str | None = None  # the admin form's field str(object) starts with, when not `key` (the admin
    # of clientes cannot set a document: its rows read as their name)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def route(self) -> str:
        """The list's route as /metrics labels it."""
        return self.list_path.lstrip("/")

    @property
    def detail_route(self) -> str:
        return self.route + self.detail_label

    @property
    def audit_resource(self) -> str:
        """The list's `resource` in the audit trail: its path under /api/."""
        return self.list_path.removeprefix("/api/").rstrip("/")

    @property
    def audit_path(self) -> str:
        return f"/api/{self.api}/audit/"

    @property
    def other_slug(self) -> str:
        """Another service that calls others (it holds a secret): its credential and its pair's events are not ours."""
        return "ventas" if self.slug != "ventas" else "compras"
