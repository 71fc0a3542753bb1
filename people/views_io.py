"""Pages of the registry's spreadsheet exchange: the filtered list as .xlsx or CSV, the import template,
and the import (upload → preview → confirm, the rejected rows) through the shared wizard. The work lives in
`people.importing` and `people.exporting`; a large import is written by the worker (`people.tasks`)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from portal_io.rows import CREATE, UPDATE, summarize
from portal_io.wizard import ImportWizard, attachment
from units.access import role_required
from units.audit import audit_record
from units.jobs import job_start
from units.models import AuditEvent
from units.selectors import home_units_editable

from . import access, exporting, importing, tasks
from .columns import COLUMNS


class PeopleImport(ImportWizard):
    """An import into the people registry, for whoever may register people, into the units they keep."""

    upload_template = "people/import_upload.html"
    preview_template = "people/import_preview.html"
    file_label = gettext_lazy("File of people (.xlsx, .xls, .ods or .csv)")

    def __init__(self, request):
        super().__init__(request)
        access.can_register_people.require(request)

    def context(self):
        return {"title": _("People registry")}

    def upload_context(self):
        return {
            **super().upload_context(),
            "columns": [c for c in COLUMNS if c.imported],
            "background_rows": settings.PEOPLE_IMPORT_BACKGROUND_ROWS,
        }

    def read(self, upload):
        return importing.read_upload(upload)

    def plan(self, rows, source):
        return [row.as_dict() for row in importing.plan_import(user=self.user, rows=rows, source=source)]

    def commit(self, rows, planned, source):
        return importing.people_import(user=self.user, rows=rows, planned=planned, source=source)

    def commit_in_background(self, token, stored, planned):
        counts = summarize(stored["plan"])
        if counts[CREATE] + counts[UPDATE] <= settings.PEOPLE_IMPORT_BACKGROUND_ROWS:
            return None
        job = job_start(
            user=self.user,
            kind=tasks.IMPORT,
            title=_("Import of people · %(file)s") % {"file": stored["filename"]},
            task=tasks.import_people_task,
            params=tasks.params_of(stored, planned),
        )
        self.delete(token)  # the rows now wait in the job's row
        audit_record(
            kind=AuditEvent.Kind.IMPORT,
            request=self.request,
            target=self.audit_target(),
            detail=f"{stored['filename']}: job {job.pk}",
        )
        messages.info(
            self.request,
            _("The import is written in the background: follow its progress here, or find its report in My files."),
        )
        return redirect("files:detail", pk=job.pk)

    def save(self, **stored):
        return importing.store_save(user=self.user, **stored)

    def load(self, token):
        return importing.store_load(token, user=self.user)

    def delete(self, token):
        importing.store.delete(token)

    def purge_expired(self):
        importing.store.purge_expired()

    def upload_url(self):
        return reverse("people:import")

    def preview_url(self, token):
        return reverse("people:import_preview", kwargs={"token": token})

    def done_url(self):
        return reverse("people:list")

    def audit_target(self):
        return "people:import"

    def rejected_file(self, stored):
        content = exporting.rejected_xlsx(stored["rows"], stored["plan"])
        return attachment(content, exporting.XLSX_TYPE, exporting.filename("xlsx", suffix="-dong-bi-tu-choi"))


@require_GET
@role_required(access.can_register_people)
def import_template(request):
    units = list(home_units_editable(user=request.user))
    communes = [u for u in units if u.kind.is_commune_level]
    hamlets = [u for u in units if not u.kind.is_commune_level]
    content = exporting.template_xlsx(communes=communes, hamlets=hamlets)
    return attachment(content, exporting.XLSX_TYPE, exporting.filename("xlsx", suffix="-mau-nhap"))


@require_http_methods(["GET", "POST"])
def import_upload(request):
    return PeopleImport(request).upload()


@require_http_methods(["GET", "POST"])
def import_preview(request, token):
    return PeopleImport(request).preview(token)


@require_GET
def import_rejected(request, token):
    return PeopleImport(request).rejected(token)
