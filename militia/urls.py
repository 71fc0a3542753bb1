from django.urls import path

from . import views

app_name = "militia"
urlpatterns = [
    path("", views.index, name="index"),
]
