"""Routes of the sales app."""
from rest_framework.routers import SimpleRouter

from .views import SaleViewSet

router = SimpleRouter(trailing_slash=True)
router.register("", SaleViewSet, basename="sale")
urlpatterns = router.urls
