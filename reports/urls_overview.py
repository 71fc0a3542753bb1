"""URLs of the reports app (overview); included by reports/urls.py."""

urlpatterns = []
