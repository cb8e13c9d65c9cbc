"""Routes of the customers API."""
from rest_framework.routers import SimpleRouter

import sis_common.urls  # noqa: F401 (registers the <id:> converter)

from .views import CustomerViewSet

router = SimpleRouter(trailing_slash=True, use_regex_path=False)
router.register("", CustomerViewSet, basename="customer")
urlpatterns = router.urls
