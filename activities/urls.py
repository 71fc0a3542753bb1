from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:kind>/", views.record_list, name="list"),
    path("<str:kind>/new/", views.record_create, name="create"),
    path("<str:kind>/export.xlsx", views.record_export, name="export"),
    path("<str:kind>/<int:pk>/", views.record_detail, name="detail"),
    path("<str:kind>/<int:pk>/edit/", views.record_update, name="update"),
]
