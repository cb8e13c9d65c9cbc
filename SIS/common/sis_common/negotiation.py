"""Content negotiation for APIs that answer JSON only: the common Accept headers skip DRF's parsing.

DRF parses the Accept header against every renderer on every request; with a
single JSON renderer and a client asking for JSON or anything, the answer is
known. Any other case (a format override, another media type, several
renderers as on the schema views) goes through DRF's negotiation, 406 included.
"""
from rest_framework.negotiation import DefaultContentNegotiation

PLAIN_ACCEPTS = frozenset({"", "*/*", "application/json"})


class JSONFirstNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if (len(renderers) == 1 and format_suffix is None
                and request.META.get("HTTP_ACCEPT", "") in PLAIN_ACCEPTS
                and self.settings.URL_FORMAT_OVERRIDE not in request.query_params):
            renderer = renderers[0]
            if renderer.media_type == "application/json":
                return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)
