"""Routes of the stock app."""
urlpatterns = []
