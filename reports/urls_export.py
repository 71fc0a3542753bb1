"""URLs of the reports app (documents); included by reports/urls.py."""

from django.urls import path

from . import views_export as v

urlpatterns = [
    path("<int:pk>/export.docx", v.report_docx, name="report_docx"),
    path("<int:pk>/export.pdf", v.report_pdf, name="report_pdf"),
    path("<int:pk>/print/", v.report_print, name="report_print"),
]
