"""The JSON body parser of every API (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES): bounded, see sis_common.jsonbody."""
from django.conf import settings
from rest_framework.parsers import JSONParser

from sis_common.jsonbody import loads_bounded, refuse


class BoundedJSONParser(JSONParser):
    """DRF's JSONParser with a depth bound; every failure is a ParseError (400 parse_error)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or 2_621_440
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise refuse("the body is too large.")
        return loads_bounded(raw)
