"""The gateway nginx's routes to the services, rendered from deploy/stack.toml: one entry per service.

Every /api/<api>/ path needs a token, checked by the gateway's app in an auth_request
subrequest (its answer cached per token by nginx), except the API's health/ and schema/ and
the service's open_paths; a service's Django admin and its static files pass as they are.
The request then goes straight to the service's own nginx.
"""
from __future__ import annotations

from .stack import ServiceSpec, gateway_spec

OPEN_IN_EVERY_API = ("health/", "schema/")
# the flood limits an open path may name (zones declared in SIS/gateway/nginx.conf)
LIMITS = {
    "signin": "limit_req zone=signin burst=20 nodelay;",
    "refresh": "limit_req zone=refresh burst=30 nodelay;",
}
SIGN_IN_LIMIT = "signin"
# a whole catalogue validated and written in one transaction takes longer than an API call
UPLOAD_READ_TIMEOUT = 120


def upstream_name(slug: str) -> str:
    return f"edge_{slug}"


def upstream_blocks(services: list[ServiceSpec], address) -> str:
    """One keep-alive upstream per service's nginx; `address(slug)` is its host:port."""
    return "".join(
        f"upstream {upstream_name(s.slug)} {{\n    server {address(s.slug)} max_fails=0;\n    keepalive 32;\n}}\n"
        for s in services
    )


def route_blocks(services: list[ServiceSpec], *, target=None) -> str:
    """The server block's locations for every service.

    `target(slug)` is what proxy_pass names: the upstream block by default; Docker passes a
    variable resolved per request (sis_ops.docker).
    """
    target = target or upstream_name
    default_timeout = gateway_spec().get("read_timeout", 15)
    out = []
    for s in services:
        lines = [f"set $edge_service {s.slug};", f"proxy_pass http://{target(s.slug)};",
                 f"proxy_read_timeout {s.read_timeout or default_timeout}s;"]
        out.append(_location(f"/api/{s.api}/", [
            *lines[:1],
            "auth_request /__edge/auth;",
            "auth_request_set $edge_code $upstream_http_x_edge_code;",
            "auth_request_set $edge_detail $upstream_http_x_edge_detail;",
            *lines[1:],
        ]))
        for path, size in s.upload_paths.items():
            out.append(_location(f"= /api/{s.api}/{path}", [
                lines[0],
                "auth_request /__edge/auth;",
                "auth_request_set $edge_code $upstream_http_x_edge_code;",
                "auth_request_set $edge_detail $upstream_http_x_edge_detail;",
                lines[1],
                f"client_max_body_size {size};",
                f"proxy_read_timeout {UPLOAD_READ_TIMEOUT}s;",
            ]))
        for path in OPEN_IN_EVERY_API:
            out.append(_location(f"= /api/{s.api}/{path}", lines))
        for path, limit in s.open_paths.items():
            out.append(_location(f"= /api/{s.api}/{path}", [LIMITS[limit], *lines]))
        # the admins' sign-in forms (servicio_auth's own and the single sign-on of the others)
        out.append(_location(f"= /admin/{s.slug}/login/", [LIMITS[SIGN_IN_LIMIT], *lines]))
        out.append(_location(f"/admin/{s.slug}/", lines))
        out.append(_location(f"/static/{s.slug}/", lines))
    return "".join(out)


def _location(match: str, lines: list[str]) -> str:
    body = "".join(f"        {line}\n" for line in lines)
    return f"    location {match} {{\n{body}    }}\n\n"
