"""Routes of the orders API."""
from rest_framework.routers import SimpleRouter

from .views import OrderViewSet

router = SimpleRouter(trailing_slash=True)
router.register("", OrderViewSet, basename="order")
urlpatterns = router.urls
