"""Routes of the sales app."""
urlpatterns = []
