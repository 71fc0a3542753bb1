from django.urls import path

from . import views, views_documents, views_io

app_name = "recruitment"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/quotas/", views.quota_edit, name="quota_edit"),
    path("campaigns/<int:pk>/open/", views.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/candidates/", views.candidate_list, name="candidate_list"),
    path("campaigns/<int:pk>/candidates/stage/", views.candidate_bulk_stage, name="candidate_bulk_stage"),
    path("campaigns/<int:pk>/register-17/", views.register_seventeen, name="register_seventeen"),
    path("campaigns/<int:pk>/register/", views.register_candidate, name="register_candidate"),
    path("campaigns/<int:pk>/postings/", views.campaign_postings, name="campaign_postings"),
    path("campaigns/<int:pk>/not-registered/", views.not_registered, name="not_registered"),
    # Documents of the year (views_documents.py)
    path("campaigns/<int:pk>/documents/", views_documents.campaign_documents, name="campaign_documents"),
    path("campaigns/<int:pk>/documents/<str:key>/", views_documents.document_make, name="document_make"),
    # Excel / CSV import and export (views_io.py)
    path("campaigns/<int:pk>/candidates/export.<str:fmt>", views_io.candidate_export, name="candidate_export"),
    path(
        "campaigns/<int:pk>/not-registered/export.<str:fmt>",
        views_io.not_registered_export,
        name="not_registered_export",
    ),
    path("campaigns/<int:pk>/lists/<str:which>.<str:fmt>", views_io.public_list_export, name="public_list_export"),
    path("campaigns/<int:pk>/import/<str:kind>/", views_io.import_upload, name="import"),
    path("campaigns/<int:pk>/import/<str:kind>/template.xlsx", views_io.import_template, name="import_template"),
    path("campaigns/<int:pk>/import/<str:kind>/<str:token>/", views_io.import_preview, name="import_preview"),
    path(
        "campaigns/<int:pk>/import/<str:kind>/<str:token>/rejected.xlsx",
        views_io.import_rejected,
        name="import_rejected",
    ),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/stage/", views.candidate_stage, name="candidate_stage"),
    path("candidates/<int:pk>/review/", views.candidate_review, name="candidate_review"),
]
