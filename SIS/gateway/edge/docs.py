"""Combined API docs: each service's OpenAPI schema, fetched on demand, under one Swagger UI."""
from __future__ import annotations

import urllib3

from .routes import api_to_service
from .upstream import pool

SCHEMA_TIMEOUT = urllib3.Timeout(connect=0.5, read=5.0)


def schema_urls() -> list[dict]:
    """The Swagger UI dropdown: one entry per service, served by the gateway itself."""
    return [{"name": api, "url": f"/api/docs/schema/{api}/"} for api in api_to_service()]


def fetch_schema(api: str) -> urllib3.BaseHTTPResponse:
    """The service's own schema as JSON (drf-spectacular at /api/<api>/schema/)."""
    return pool(api_to_service()[api]).urlopen(
        "GET", f"/api/{api}/schema/?format=json", headers={"Accept": "application/json"},
        timeout=SCHEMA_TIMEOUT, retries=False, redirect=False,
    )
