from django.urls import path

from . import views, views_io, views_registers

app_name = "militia"
urlpatterns = [
    path("", views.index, name="index"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_update, name="member_update"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("reservists/", views.reservist_list, name="reservist_list"),
    path("reservists/new/", views.reservist_create, name="reservist_create"),
    path("reservists/<int:pk>/", views.reservist_detail, name="reservist_detail"),
    path("reservists/<int:pk>/edit/", views.reservist_update, name="reservist_update"),
    path("reservists/<int:pk>/status/", views.reservist_status, name="reservist_status"),
    path("reserve-units/", views.reserve_units, name="reserve_units"),
    path("duty/", views.duty_list, name="duty_list"),
    path("duty/new/", views.duty_create, name="duty_create"),
    path("registers/", views_registers.registers, name="registers"),
    # Excel / CSV import and export (views_io.py)
    path("<str:roster>/export.<str:fmt>", views_io.roster_export, name="export"),
    path("<str:roster>/import/", views_io.import_upload, name="import"),
    path("<str:roster>/import/template.xlsx", views_io.import_template, name="import_template"),
    path("<str:roster>/import/<str:token>/", views_io.import_preview, name="import_preview"),
    path("<str:roster>/import/<str:token>/rejected.xlsx", views_io.import_rejected, name="import_rejected"),
]
