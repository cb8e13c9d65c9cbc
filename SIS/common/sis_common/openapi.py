"""OpenAPI building blocks (drf-spectacular) so each API's published schema says what its code does.

- `ERROR`: the body of every 4xx/5xx (`sis_common.errors`): detail, code, and
  field messages under `fields` (and at the top level) for validation errors.
- `add_error_responses` (a POSTPROCESSING_HOOK): the answers every operation
  can give whatever its view, from the request path (gateway and nginx included):
  401/403 when it needs a token, 404 with a path id, 400 with a body or query,
  406 for an Accept other than JSON, 414 for a request line past 8 KiB, 413/415 with a body, 409/422 with an
  Idempotency-Key, 503 (with Retry-After) and 504 always. A view's own
  declaration of a code wins.
- `KeysetSchema`: the list shape of `sis_common.keyset.KeysetPagination` for
  views that page by keyset (`pagination_class = KeysetSchema`).
- `IDEMPOTENCY_KEY`, `errors(...)`: what views declare. Every 202 gets Retry-After;
  answers of keyed operations may carry Idempotent-Replayed.
- `AutoSchema`: drf-spectacular's, saying of a string field in a request what DRF
  checks beyond its length: no NUL, and, when trimmed and not blank, a character
  that `str.strip()` keeps.
"""
from __future__ import annotations

from django.core.validators import RegexValidator
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from sis_common import keyset
from sis_common.bounds import MAX_ID

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every refusal: `detail` for people, `code` for programs; validation errors add the field "
                   "messages under `fields` (and at the top level), business refusals their own facts.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": True},
    },
    "required": ["detail", "code"],
    "additionalProperties": True,
}
ERROR = {"type": "object", "$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}}
REPLAYED = {"Idempotent-Replayed": {"description": "`true` when this is the stored answer of an earlier request "
                                                   "with the same Idempotency-Key.",
                                    "schema": {"type": "string", "enum": ["true"]}}}

DESCRIPTIONS = {
    400: "Invalid input: malformed JSON (`parse_error`), field messages (`invalid`) or a business refusal.",
    401: "Missing, expired or rejected access token.",
    403: "The caller's role or branch scope does not allow this.",
    404: "No such object (or not visible to the caller).",
    406: "Only JSON is served.",
    409: "Conflict: the same Idempotency-Key is still being processed, or the object's state refuses this.",
    413: "Request body too large.",
    414: "Request line (path and query) too long.",
    415: "Only `application/json` bodies are accepted.",
    422: "This Idempotency-Key was used with another body.",
    429: "Too many attempts; retry later.",
    503: "A database or service is unavailable; nothing happened, retry shortly.",
    504: "A service did not answer in time; repeat with the same Idempotency-Key to learn the outcome.",
}
# the path ids every API uses (`\d+` in its routes)
PATH_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


# what Python's str.strip() removes, spelled out so every regex engine reads the same set
# (hypothesis' and ECMA's `\s` both differ from Python's, e.g. at \x1c-\x1f and \x85)
_STRIPPED = r"\t-\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# DRF refuses a NUL anywhere in a CharField; a trimmed field that may not be blank also needs
# one character that strip() keeps. Not empty: drf-spectacular adds the empty string of a
# field that may be blank as a oneOf branch of its own, which must not match twice.
NO_NUL = r"^[^\x00]+$"
NO_NUL_NOT_BLANK = rf"^[^\x00]*[^\x00{_STRIPPED}][^\x00]*$"


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (direction == "request" and isinstance(field, serializers.CharField)
                and schema.get("type") == "string"
                and not {"pattern", "enum", "format"} & schema.keys()
                and not any(isinstance(v, RegexValidator) for v in field.validators)):
            not_blank = field.trim_whitespace and not field.allow_blank
            schema["pattern"] = NO_NUL_NOT_BLANK if not_blank else NO_NUL
        return schema


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[ -~]*[!-~][ -~]*$"},
    OpenApiParameter.HEADER, required=True,
    description="Client-chosen key of this attempt: the same key and body answer the first answer again "
                "(`Idempotent-Replayed: true`); another body is 422; while the first is running, 409.",
)


def errors(*codes: int, **described: str) -> dict:
    """`responses` entries for error codes a view answers itself, e.g. `errors(409, 429)`."""
    out = {code: OpenApiResponse(ERROR, description=DESCRIPTIONS.get(code, "")) for code in codes}
    out.update({int(code[1:]): OpenApiResponse(ERROR, description=text) for code, text in described.items()})
    return out


class KeysetSchema:
    """Not a paginator: what drf-spectacular needs to document a keyset-paged list."""

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {"name": keyset.CURSOR_PARAM, "in": "query", "required": False,
             "description": "Opaque cursor from a page's `next` or `previous` link.",
             "schema": {"type": "string", "maxLength": 32}},
            {"name": keyset.SIZE_PARAM, "in": "query", "required": False, "description": "Rows per page.",
             "schema": {"type": "integer", "minimum": 1, "maximum": keyset.MAX_SIZE,
                        "default": keyset.DEFAULT_SIZE}},
        ]

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {"type": "object", "required": ["next", "previous", "results"],
                "properties": {"next": link, "previous": link, "results": schema}}


def _has_security(operation: dict, schema: dict) -> bool:
    security = operation.get("security", schema.get("security", []))
    return any(requirement for requirement in security)


def _error(code: int) -> dict:
    response = {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": ERROR}}}
    if code in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def _typed_path_ids(operation: dict) -> None:
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "path" and (schema.get("type") == "integer"
                                              or schema.get("pattern", "").startswith(("^\\d", "^[0-9]"))):
            parameter["schema"] = dict(PATH_ID)


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOK: the error answers of every operation, and path ids typed as integers."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            _typed_path_ids(operation)
            params = operation.get("parameters", [])
            codes = {406, 414, 503, 504}
            if _has_security(operation, result):
                codes |= {401, 403}
            if any(p.get("in") == "path" for p in params) or any(p.get("name") == "page" for p in params):
                codes.add(404)  # no such object, or a page past the last
            if "requestBody" in operation or method in ("post", "put", "patch"):
                codes |= {400, 413, 415}
            if any(p.get("in") == "query" for p in params):
                codes.add(400)
            if any(p.get("in") == "header" and p.get("name") == IDEMPOTENCY_KEY.name for p in params):
                codes |= {400, 409, 422}  # required, still running, reused with another body
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(str(code), _error(code))
            keyed = any(p.get("in") == "header" and p.get("name") == IDEMPOTENCY_KEY.name for p in params)
            for code, response in responses.items():
                if code == "202":  # every 202 is a pending write, asked again after Retry-After
                    response.setdefault("headers", {}).update(RETRY_AFTER)
                if keyed and code < "500":  # a stored answer is replayed, refusals included
                    response.setdefault("headers", {}).update(REPLAYED)
    return result
