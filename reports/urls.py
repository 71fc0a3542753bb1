from django.urls import path

from . import urls_export, urls_filing, urls_overview, views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    *urls_overview.urlpatterns,
    *urls_export.urlpatterns,
    *urls_filing.urlpatterns,  # last: it ends with the catch-all <pk>/<action>/
]
