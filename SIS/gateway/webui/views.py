"""The web UI's only server-side view: the HTML shell that loads the JS modules."""
from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

# everything is served by this origin; no inline script, no CDN
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


@require_safe
def shell(request):
    response = render(request, "webui/index.html", {"currency": settings.EWTTO_UI_CURRENCY})
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "same-origin"
    return response
