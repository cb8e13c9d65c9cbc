"""The gateway's hot path: a request for a service's API goes through the middleware and straight to the proxy.

Nearly every request the gateway takes is /api/<api>/…, proxied unchanged.
For those, Django's URL routing and handler cost about as much as the proxying
itself, so this WSGI wrapper (config/wsgi.py) runs the same middleware
classes, in the order settings.MIDDLEWARE lists them, around proxy.forward()
directly. Anything else (web UI, docs, health, admins, unknown paths) goes to
Django untouched. tests/test_fastpath.py checks both give the same answers.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_path_info
from django.urls import ResolverMatch
from django.urls.base import set_urlconf
from django.utils.log import log_response
from django.utils.module_loading import import_string

from . import proxy
from .routes import API_ROUTE, API_TO_SERVICE

# matched the way Django's resolver matches config/urls.py's route: a fullmatch after the leading "/"
PROXIED = re.compile(API_ROUTE)


def _proxy_view(request):
    return proxy.forward(request, API_TO_SERVICE[request.resolver_match.kwargs["api"]], request.path)


class EdgeFastPath:
    def __init__(self, django_app: WSGIHandler):
        self.django_app = django_app
        # Django's own composition: each middleware wrapped so an exception becomes its error answer
        handler = convert_exception_to_response(_proxy_view)
        for path in reversed(settings.MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self.chain = handler

    def __call__(self, environ, start_response):
        path_info = get_path_info(environ)
        match = PROXIED.fullmatch(path_info[1:]) if path_info.startswith("/api/") else None
        if match is None or environ.get("SCRIPT_NAME"):
            return self.django_app(environ, start_response)
        request = WSGIRequest(environ)
        # what URL resolution would have found: the metrics label it by its route
        request.resolver_match = ResolverMatch(_proxy_view, (), match.groupdict(), route=API_ROUTE)
        set_urlconf(settings.ROOT_URLCONF)
        response = self.chain(request)
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        start_response(f"{response.status_code} {response.reason_phrase}", [
            *response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
        ])
        if response.streaming:  # the proxy never streams; kept right all the same
            response._resource_closers.append(request.close)
            return response
        # A whole answer goes out as bytes, without HttpResponse.close(): that sends request_finished,
        # whose receivers close database connections, and this path has none (nor sent request_started).
        request.close()
        return [response.content]
