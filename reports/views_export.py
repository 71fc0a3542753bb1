"""Word, PDF and print views of a report in the Decree 30/2020 format; the document itself is built in
`reports.documents`."""

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from units.audit import audit_record
from units.models import AuditEvent
from units.scoping import get_object_for_user

from . import documents, selectors
from .models import Report

EXPORT_PERM = "reports.export_reports"


def _document(request, pk):
    """The report in the user's units (404 outside), for a role that may export it (403 otherwise)."""
    queryset = Report.objects.select_related(
        "unit", "unit__kind", "unit__parent", "unit__parent__kind", "unit__issuing_body", "period", "template"
    ).select_related("approved_by")
    report = get_object_for_user(request, queryset, pk=pk)
    if not request.user.has_perm(EXPORT_PERM):
        audit_record(kind=AuditEvent.Kind.DENIED, request=request, target=f"reports.Report {pk}", detail="403")
        raise PermissionDenied(_("Your role may not export reports."))
    return report, documents.build_document(report)


def _attachment(request, report, content, content_type, doc, extension):
    name = doc.filename(extension)
    audit_record(
        kind=AuditEvent.Kind.EXPORT, request=request, target=f"reports:report {report.pk}.{extension}", detail=name
    )
    response = HttpResponse(content, content_type=content_type)
    utf8 = quote(doc.filename(extension, utf8=True))
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{utf8}"
    return response


def _rendered(report, doc, extension, render_file):
    """The file of the document, kept until the report's subtree changes: the PDF takes seconds to lay out."""
    return selectors.kept_for_report(report, f"report-file-{extension}", lambda: render_file(doc))


@require_GET
def report_docx(request, pk):
    report, doc = _document(request, pk)
    content = _rendered(report, doc, "docx", documents.render_docx)
    return _attachment(request, report, content, documents.DOCX_TYPE, doc, "docx")


@require_GET
def report_pdf(request, pk):
    report, doc = _document(request, pk)
    content = _rendered(report, doc, "pdf", documents.render_pdf)
    return _attachment(request, report, content, documents.PDF_TYPE, doc, "pdf")


@require_GET
def report_print(request, pk):
    report, doc = _document(request, pk)
    return render(request, "reports/print.html", {"doc": doc, "report": report, "for_pdf": False})
