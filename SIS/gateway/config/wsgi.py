"""WSGI entry point of gateway: API requests take the edge's fast path, the rest Django's full handler."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
django_application = get_wsgi_application()

from edge.fastpath import EdgeFastPath  # noqa: E402  (after Django is set up)

application = EdgeFastPath(django_application)
