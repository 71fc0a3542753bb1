"""URLs of the reports app (filing and review); included by reports/urls.py."""

from django.urls import path

from . import views_filing as v

urlpatterns = [
    path("<int:pk>/", v.report_detail, name="report_detail"),
    path("<int:pk>/edit/", v.report_edit, name="report_edit"),
    path("<int:pk>/autosave/", v.report_autosave, name="report_autosave"),
    path("<int:pk>/check/", v.report_check, name="report_check"),
    path("<int:pk>/comments/", v.report_comment, name="report_comment"),
    path("<int:pk>/<str:action>/", v.report_action, name="report_action"),
]
