"""Excel and CSV import and export of the rosters (being written)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


roster_export = import_upload = import_template = import_preview = import_rejected = _todo
