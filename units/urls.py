from django.urls import path

from . import views_files

app_name = "files"
urlpatterns = [
    path("", views_files.file_list, name="list"),
    path("<int:pk>/", views_files.file_detail, name="detail"),
    path("<int:pk>/download/", views_files.file_download, name="download"),
]
