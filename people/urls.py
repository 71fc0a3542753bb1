from django.urls import path

from . import views, views_io

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.xlsx", views.person_export, {"fmt": "xlsx"}, name="export"),
    path("export.csv", views.person_export, {"fmt": "csv"}, name="export_csv"),
    path("import/", views_io.import_upload, name="import"),
    path("import/template.xlsx", views_io.import_template, name="import_template"),
    path("import/<str:token>/", views_io.import_preview, name="import_preview"),
    path("import/<str:token>/rejected.xlsx", views_io.import_rejected, name="import_rejected"),
    path("print/", views.person_print, name="print"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_update, name="update"),
]
