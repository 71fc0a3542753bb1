"""URLs of the reports app (export); included by reports/urls.py."""

urlpatterns = []
