"""URLs of the reports app (inbox, periods, completeness); included by reports/urls.py."""

from django.urls import path

from . import views_overview as v

urlpatterns = [
    path("inbox/", v.inbox, name="inbox"),
    path("periods/", v.period_list, name="period_list"),
    path("periods/new/", v.period_create, name="period_create"),
    path("periods/<int:pk>/", v.period_detail, name="period_detail"),
    path("periods/<int:pk>/values.xlsx", v.period_values_xlsx, name="period_values_xlsx"),
]
