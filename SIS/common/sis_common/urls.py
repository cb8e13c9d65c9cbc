"""Routes every service has (health, schema, admin) and its JSON error handlers."""
from django.contrib import admin
from django.urls import path, register_converter
from drf_spectacular.views import SpectacularAPIView

from sis_common.bounds import MAX_ID
from sis_common.health import health_view

# a project's ROOT_URLCONF imports these names so Django finds them there
handler400 = "sis_common.errors.json_400"
handler403 = "sis_common.errors.json_403"
handler404 = "sis_common.errors.json_404"
handler500 = "sis_common.errors.json_500"


class IdConverter:
    """`<id:name>`: a row id as the schemas publish it (1 to MAX_ID); anything else is no route, a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")


def service_urlpatterns(*, api: str, slug: str) -> list:
    """/health, /api/<api>/health/ and schema, and the project's admin at /admin/<slug>/."""
    return [
        path("health", health_view),
        path(f"api/{api}/health/", health_view),
        path(f"api/{api}/schema/", SpectacularAPIView.as_view(), name="schema"),
        path(f"admin/{slug}/", admin.site.urls),
    ]
