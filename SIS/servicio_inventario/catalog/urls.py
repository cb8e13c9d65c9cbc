"""Routes of the catalog app."""
urlpatterns = []
