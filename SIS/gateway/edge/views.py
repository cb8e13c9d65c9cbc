"""Gateway views: the edge's token check, health and docs."""
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from urllib3.exceptions import HTTPError

from sis_common.health import may_see_details

from . import docs
from .decisions import decide
from .health import detailed_health, public_health
from .routes import api_to_service


def authorize(request):
    """204 lets the request pass, 401 refuses it; nginx turns the refusal into the JSON answer."""
    decision = decide(request.META.get("HTTP_AUTHORIZATION"))
    response = HttpResponse(status=204 if decision.allowed else 401)
    # 0 tells nginx not to keep the answer (a token expiring within the second)
    response["X-Accel-Expires"] = str(decision.seconds)
    if not decision.allowed:
        # nginx writes these into a JSON string as they are: our own fixed texts, no quote or backslash
        response["X-Edge-Code"] = decision.code
        response["X-Edge-Detail"] = decision.detail.replace('"', "'").replace("\\", "/")
    return response


@require_safe
def health(request):
    body = detailed_health() if may_see_details(request) else public_health()
    return JsonResponse(body, status=503 if body["status"] == "down" else 200)


@require_safe
def api_docs(request):
    return render(request, "edge/docs.html", {"schemas": docs.schema_urls()})


def unavailable(service: str, code: str, detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail, "code": code, "service": service}, status=503)
    response["Retry-After"] = "1"
    return response


@require_safe
def api_schema(request, api: str):
    service = api_to_service().get(api)
    if service is None:
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    try:
        answer = docs.fetch_schema(api)
    except HTTPError:
        return unavailable(service, "service_unavailable", "The service is unavailable.")
    if answer.status != 200:
        return unavailable(service, "schema_unavailable", "The service gave no schema.")
    return HttpResponse(answer.data, content_type="application/json")
