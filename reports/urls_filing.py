"""URLs of the reports app (filing); included by reports/urls.py."""

urlpatterns = []
