"""Routes of the count API."""
from rest_framework.routers import SimpleRouter

import sis_common.urls  # noqa: F401 (registers the <id:> converter)

from . import views

router = SimpleRouter(trailing_slash=True, use_regex_path=False)
router.register("counts", views.CountViewSet, basename="count")
urlpatterns = router.urls
