"""Inbox, periods and completeness pages (being built)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse(status=501)


inbox = period_list = period_create = period_detail = period_values_xlsx = _todo
