"""Routes of the suppliers API."""
from rest_framework.routers import SimpleRouter

from .views import SupplierViewSet

router = SimpleRouter(trailing_slash=True)
router.register("", SupplierViewSet, basename="supplier")
urlpatterns = router.urls
