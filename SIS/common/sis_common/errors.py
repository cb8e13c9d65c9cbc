"""Error answers: every 4xx/5xx is JSON with `detail` and `code`; a dead database is a fast 503."""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = "1"


def database_unavailable(exc: Exception) -> JsonResponse:
    log.warning("database unavailable: %s", exc)
    response = JsonResponse(
        {"detail": "The database is unavailable; retry shortly.", "code": "database_unavailable"},
        status=503,
    )
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def is_unavailability(exc: Exception) -> bool:
    return isinstance(exc, (OperationalError, InterfaceError)) or (
        isinstance(exc, DatabaseError) and "read-only" in str(exc)
    )


class DomainError(APIException):
    """A business refusal with a stable code and extra fields, e.g. insufficient_stock with its lines."""

    def __init__(self, detail: str, code: str, status_code: int = 400, **extra):
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.extra = extra


def error_body(exc: APIException) -> dict:
    """The JSON body for an API exception: detail, code, and field messages or extras."""
    if isinstance(exc, ValidationError):
        return _validation_body(exc)
    body = {"detail": str(exc.detail) if not isinstance(exc.detail, (dict, list)) else exc.detail,
            "code": _first_code(exc.get_codes())}
    if isinstance(exc.detail, dict):
        body = {**exc.detail, "code": body["code"]}
    return {**body, **getattr(exc, "extra", {})}


def api_exception_handler(exc, context):
    """DRF handler: add a stable `code`, keep field messages at the top level."""
    if is_unavailability(exc):
        return database_unavailable(exc)
    # Django's own 404/403 (get_object_or_404, get_object) get the same JSON shape as DRF's
    if isinstance(exc, Http404):
        exc = NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, APIException):
        response.data = _encodable(error_body(exc))
    return response


def _encodable(value):
    """Messages may echo input holding lone surrogates, which UTF-8 cannot carry: replace those."""
    if isinstance(value, dict):
        return {k: _encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _validation_body(exc: ValidationError) -> dict:
    detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    # a field named like a reserved key (a branch's `code`) must not replace the machine code:
    # every field message is also under `fields`, where no name collides
    return {**detail, "detail": "Invalid input.", "code": _validation_code(exc.get_codes()), "fields": detail}


def _drf_field_codes() -> frozenset[str]:
    from rest_framework import fields, relations, serializers

    classes = [c for module in (fields, relations, serializers) for c in vars(module).values()
               if isinstance(c, type) and hasattr(c, "default_error_messages")]
    return frozenset(code for c in classes for code in c.default_error_messages)


# refusals of well-formed input that only the service can know, under a name of their own
KNOWN_REFUSALS = {"unique": "duplicate", "does_not_exist": "unknown_reference"}
_FIELD_CODES: frozenset[str] | None = None


def _validation_code(codes) -> str:
    """`invalid` for malformed input (what a schema states); a rule's own code when it is the only refusal.

    A serializer raising ValidationError(message, code="unknown_product") for every failing field answers
    `code: "unknown_product"`, so clients (and the fuzz suite) tell a well-formed request naming what does
    not exist from a malformed one.
    """
    global _FIELD_CODES
    if _FIELD_CODES is None:
        _FIELD_CODES = _drf_field_codes()
    found = list(dict.fromkeys(_flat(codes)))
    if any(code in _FIELD_CODES and code not in KNOWN_REFUSALS or code in ("invalid", "error") for code in found):
        return "invalid"  # something is malformed: that comes first
    code = found[0] if found else "invalid"  # several refusals: every one is in the field messages
    if code == "does_not_exist":
        field = next((name for name, value in codes.items() if "does_not_exist" in _flat(value)), None) \
            if isinstance(codes, dict) else None
        return f"unknown_{field}" if field else "unknown_reference"  # a related id naming nothing: unknown_category
    return KNOWN_REFUSALS.get(code, code)


def _flat(codes):
    if isinstance(codes, dict):
        for value in codes.values():
            yield from _flat(value)
    elif isinstance(codes, list):
        for value in codes:
            yield from _flat(value)
    else:
        yield codes


def _first_code(codes) -> str:
    while isinstance(codes, (list, dict)) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) else "error"


def error(detail: str, code: str, http_status: int = status.HTTP_400_BAD_REQUEST, **extra) -> Response:
    return Response({"detail": detail, "code": code, **extra}, status=http_status)


class DatabaseUnavailableMiddleware:
    """Outside DRF (admin, health), a lost database still answers 503 JSON, never a 500 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        return database_unavailable(exc) if is_unavailability(exc) else None


def json_404(request, exception=None):
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def json_500(request):
    return JsonResponse({"detail": "Internal error.", "code": "server_error"}, status=500)


def json_400(request, exception=None):
    return JsonResponse({"detail": "Bad request.", "code": "bad_request"}, status=400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: JSON for the APIs; the admins' browser pages keep Django's own page."""
    if request.path.startswith(("/api/", "/health")):
        return JsonResponse({"detail": "CSRF check failed.", "code": "csrf_failed"}, status=403)
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason)


def json_403(request, exception=None):
    return JsonResponse({"detail": "Forbidden.", "code": "permission_denied"}, status=403)


class JsonMethodNotAllowedMiddleware:
    """A 405 from a plain Django view (require_safe, the admin) answers JSON too, its Allow header kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or "json" in response.get("Content-Type", ""):
            return response
        answer = JsonResponse({"detail": f'Method "{request.method}" not allowed.', "code": "method_not_allowed"},
                              status=405)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer
