"""Pages of the candidates' Excel exchange: the two imports (upload → preview → confirm, rejected rows)
and the exports (public lists, filtered candidate list). The work itself lives in `recruitment.io`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from portal_io import writing
from portal_io.wizard import ImportWizard, attachment
from units.audit import audit_record
from units.models import AuditEvent

from . import access, io, selectors, views
from .forms import CandidateFilterForm
from .models import Stage

KIND_PERMS = {io.REGISTRATIONS: "recruitment.add_candidate", io.RESULTS: "recruitment.change_candidate"}
KIND_TITLES = {
    io.REGISTRATIONS: gettext_lazy("Import registrations"),
    io.RESULTS: gettext_lazy("Import examination results"),
}
FORMATS = {"xlsx": writing.XLSX_TYPE, "csv": writing.CSV_TYPE}


def _format(fmt):
    if fmt not in FORMATS:
        raise Http404(_("No such format."))
    return FORMATS[fmt]


def _export_campaign(request, pk):
    access.can_export.require(request)
    return views._campaign(request, pk)


# --- Exports -----------------------------------------------------------------------------------


@require_GET
def candidate_export(request, pk, fmt):
    """The candidate list as the list page shows it (same filters, same order), every row."""
    content_type = _format(fmt)
    campaign = _export_campaign(request, pk)
    user = request.user
    form = CandidateFilterForm(request.GET, communes=selectors.campaign_communes(campaign=campaign, user=user))
    queryset = form.apply(selectors.candidates_visible(user=user).filter(campaign=campaign), campaign=campaign)
    queryset = selectors.sorted_by(queryset, request.GET.get("sort", "name"))
    content = io.candidate_list_file(queryset, fmt, campaign=campaign)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=f"recruitment:{campaign.pk}:candidates.{fmt}",
        detail=request.GET.urlencode(),
    )
    return attachment(content, content_type, io.filename("ung-vien-nvqs", fmt, campaign=campaign))


@require_GET
def not_registered_export(request, pk, fmt):
    """The people due to register who have not, as the page lists them (same commune, same order), every row."""
    content_type = _format(fmt)
    campaign = _export_campaign(request, pk)
    due, professions, _communes, chosen = views._not_registered(request, campaign)
    content = io.not_registered_file(due, fmt, professions=professions)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=f"recruitment:{campaign.pk}:not-registered.{fmt}",
        detail=request.GET.urlencode(),
    )
    suffix = f"-{chosen.code}" if chosen is not None else ""
    return attachment(content, content_type, io.filename("chua-dang-ky-nvqs", fmt, campaign=campaign, suffix=suffix))


@require_GET
def public_list_export(request, pk, which, fmt):
    """A list a commune posts publicly (approved, deferred, exempt), of one commune or all the user sees."""
    content_type = _format(fmt)
    if which not in io.PUBLIC_LISTS:
        raise Http404(_("No such list."))
    campaign = _export_campaign(request, pk)
    user = request.user
    queryset = selectors.candidates_visible(user=user).filter(campaign=campaign)
    commune = request.GET.get("commune", "")
    suffix = ""
    if commune:
        communes = {str(u.pk): u for u in selectors.campaign_communes(campaign=campaign, user=user)}
        if commune not in communes:
            raise Http404(_("No such commune."))
        queryset = queryset.filter(commune_id=commune)
        suffix = "-" + communes[commune].code
    content = io.public_list_file(which, queryset, fmt)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=f"recruitment:{campaign.pk}:{which}.{fmt}",
        detail=request.GET.urlencode(),
    )
    return attachment(
        content, content_type, io.filename(io.PUBLIC_LISTS[which][1], fmt, campaign=campaign, suffix=suffix)
    )


# --- Imports -----------------------------------------------------------------------------------


def _import_campaign(request, pk, kind):
    if kind not in io.KINDS:
        raise Http404(_("No such import."))
    user = request.user
    access.can_import.require(request)
    if not user.has_perm(KIND_PERMS[kind]):
        raise PermissionDenied(_("Your role may not do this."))
    campaign = views._campaign(request, pk)
    if campaign.is_closed:
        raise PermissionDenied(
            _("The %(year)s campaign is closed and can no longer be changed.") % {"year": campaign.year}
        )
    return campaign


class CandidateImport(ImportWizard):
    """An import of a campaign's registrations or examination results (the work is `recruitment.io`)."""

    upload_template = "recruitment/import_upload.html"
    preview_template = "recruitment/import_preview.html"

    def __init__(self, request, pk, kind):
        super().__init__(request)
        self.campaign = _import_campaign(request, pk, kind)
        self.kind = kind
        self.store_kind = io.storage_kind(kind, self.campaign)

    def context(self):
        return {"campaign": self.campaign, "kind": self.kind, "title": KIND_TITLES[self.kind], "can_edit": True}

    def upload_context(self):
        return {**super().upload_context(), "columns": io.columns_of(self.kind)}

    def read(self, upload):
        return io.read_upload(upload, self.kind)

    def plan(self, rows, source):
        return io.plan_import(user=self.user, campaign=self.campaign, kind=self.kind, rows=rows, source=source)

    def commit(self, rows, planned, source):
        return io.commit_import(
            user=self.user, campaign=self.campaign, kind=self.kind, rows=rows, planned=planned, source=source
        )

    def save(self, **stored):
        return io.store.save(user=self.user, kind=self.store_kind, **stored)

    def load(self, token):
        return io.store.load(token, user=self.user, kind=self.store_kind)

    def delete(self, token):
        io.store.delete(token)

    def purge_expired(self):
        io.store.purge_expired()

    def upload_url(self):
        return reverse("recruitment:import", kwargs={"pk": self.campaign.pk, "kind": self.kind})

    def preview_url(self, token):
        return reverse("recruitment:import_preview", kwargs={"pk": self.campaign.pk, "kind": self.kind, "token": token})

    def done_url(self):
        target = reverse("recruitment:candidate_list", kwargs={"pk": self.campaign.pk})
        if self.kind == io.RESULTS:
            target += f"?stage={Stage.EXAMINED}"
        return target

    def audit_target(self):
        return f"recruitment:{self.campaign.pk}:{self.kind}"

    def rejected_file(self, stored):
        content = io.rejected_xlsx(self.kind, stored["rows"], stored["plan"])
        name = io.filename(io.FILE_SLUGS[self.kind], "xlsx", campaign=self.campaign, suffix="-dong-bi-tu-choi")
        return attachment(content, writing.XLSX_TYPE, name)


@require_GET
def import_template(request, pk, kind):
    campaign = _import_campaign(request, pk, kind)
    return attachment(
        io.template_xlsx(kind),
        writing.XLSX_TYPE,
        io.filename(io.FILE_SLUGS[kind], "xlsx", campaign=campaign, suffix="-mau-nhap"),
    )


@require_http_methods(["GET", "POST"])
def import_upload(request, pk, kind):
    return CandidateImport(request, pk, kind).upload()


@require_http_methods(["GET", "POST"])
def import_preview(request, pk, kind, token):
    return CandidateImport(request, pk, kind).preview(token)


@require_GET
def import_rejected(request, pk, kind, token):
    return CandidateImport(request, pk, kind).rejected(token)
