"""Filing and review pages of a report (being built)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


report_detail = report_edit = report_autosave = report_check = report_comment = report_action = _todo
