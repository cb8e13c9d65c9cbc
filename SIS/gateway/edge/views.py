"""Gateway views: thin entry points over proxy, health and docs."""
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from urllib3.exceptions import HTTPError

from sis_common.health import may_see_details

from . import docs, proxy
from .health import detailed_health, public_health
from .routes import API_TO_SERVICE


@require_safe
def health(request):
    body = detailed_health() if may_see_details(request) else public_health()
    return JsonResponse(body, status=503 if body["status"] == "down" else 200)


@csrf_exempt
def api_proxy(request, api: str, rest: str):
    return proxy.forward(request, API_TO_SERVICE[api], request.path)


@csrf_exempt
def site_proxy(request, kind: str, service: str, rest: str):
    return proxy.forward(request, service, request.path)


@require_safe
def api_docs(request):
    return render(request, "edge/docs.html", {"schemas": docs.schema_urls()})


@require_safe
def api_schema(request, api: str):
    try:
        answer = docs.fetch_schema(api)
    except HTTPError:
        return proxy.unavailable(API_TO_SERVICE[api], 503, "service_unavailable", "The service is unavailable.")
    if answer.status != 200:
        return proxy.unavailable(API_TO_SERVICE[api], 503, "schema_unavailable", "The service gave no schema.")
    return HttpResponse(answer.data, content_type="application/json")
