"""The user's files, "Tệp của tôi": the work a user started in the background, its progress while it runs (the
page asks again every second through htmx, or on a click without it) and its file once made."""

from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal_io.documents import ascii_name

from .audit import audit_record
from .jobs import jobs_of
from .models import AuditEvent, BackgroundJob


def _job(request, pk):
    """One of the user's own jobs; anybody else's is not found."""
    job = jobs_of(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404(_("No such file."))
    return job


@require_GET
def file_list(request):
    jobs = list(jobs_of(request.user)[:100])
    return render(request, "units/file_list.html", {"jobs": jobs, "keep_hours": settings.FILES_KEEP_HOURS})


@require_GET
def file_detail(request, pk):
    job = _job(request, pk)
    template = "units/_job_progress.html" if request.htmx else "units/file_detail.html"
    return render(request, template, {"job": job})


@require_GET
def file_download(request, pk):
    job = _job(request, pk)
    if job.status != BackgroundJob.Status.DONE:
        raise Http404(_("The file is not ready."))
    content = BackgroundJob.objects.values_list("content", flat=True).get(pk=job.pk)
    audit_record(kind=AuditEvent.Kind.EXPORT, request=request, target=f"units:file {job.pk}", detail=job.filename)
    name = job.filename
    plain = ascii_name(name.rsplit(".", 1)[0]) + ("." + name.rsplit(".", 1)[1] if "." in name else "")
    response = HttpResponse(bytes(content), content_type=job.content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response
