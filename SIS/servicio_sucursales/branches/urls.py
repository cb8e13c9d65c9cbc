"""Routes of the branches API."""
from rest_framework.routers import SimpleRouter

from .views import BranchViewSet

router = SimpleRouter(trailing_slash=True)
router.register("", BranchViewSet, basename="branch")
urlpatterns = router.urls
