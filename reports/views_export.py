"""Word, PDF and print views of a report (being built)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


report_docx = report_pdf = report_print = _todo
