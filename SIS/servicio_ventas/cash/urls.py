"""Routes of the cash-session API (under /api/sales/cash-sessions/)."""
from rest_framework.routers import SimpleRouter

from .views import CashSessionViewSet

router = SimpleRouter(trailing_slash=True)
router.register("cash-sessions", CashSessionViewSet, basename="cash-session")
urlpatterns = router.urls
