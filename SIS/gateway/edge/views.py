"""Gateway views: thin entry points over proxy and health."""
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import proxy
from .health import system_health
from .routes import API_TO_SERVICE


def health(request):
    body = system_health()
    return JsonResponse(body, status=503 if body["status"] == "down" else 200)


@csrf_exempt
def api_proxy(request, api: str, rest: str):
    return proxy.forward(request, API_TO_SERVICE[api], request.path)


@csrf_exempt
def site_proxy(request, kind: str, service: str, rest: str):
    return proxy.forward(request, service, request.path)
