from django.urls import path

from . import views

app_name = "reorg"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("official/", views.official_proposals, name="official_proposals"),
    path("<int:pk>/", views.unit_detail, name="unit_detail"),
    path("<int:pk>/<str:action>/", views.restructure, name="restructure"),
]
