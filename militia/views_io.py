"""Pages of the roster exchange: export the filtered list, download the template, upload, preview and
confirm an import, download the rejected rows. The work itself lives in `militia.io`."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from portal_io.wizard import ImportWizard, attachment
from units.audit import audit_record
from units.models import AuditEvent, Unit
from units.selectors import communes_visible, hamlets_visible

from . import access, selectors
from .forms import MemberFilterForm, ReservistFilterForm, roster_filter_form
from .io import exporting, importing, reading, storage
from .io.columns import MEMBERS, RESERVISTS, columns_of


@dataclass(frozen=True)
class _Roster:
    key: str
    title: str
    filter_form: type
    visible: object
    sorts: dict
    list_url: str


ROSTERS = {
    MEMBERS: _Roster(
        MEMBERS,
        gettext_lazy("Militia roster"),
        MemberFilterForm,
        selectors.members_visible,
        selectors.MEMBER_SORTS,
        "militia:member_list",
    ),
    RESERVISTS: _Roster(
        RESERVISTS,
        gettext_lazy("Reserve roster"),
        ReservistFilterForm,
        selectors.reservists_visible,
        selectors.RESERVIST_SORTS,
        "militia:reservist_list",
    ),
}
FORMATS = {"xlsx": exporting.XLSX_TYPE, "csv": exporting.CSV_TYPE}


def _roster(key):
    try:
        return ROSTERS[key]
    except KeyError:
        raise Http404(_("No such roster.")) from None


# --- Export ----------------------------------------------------------------------------------


@require_GET
def roster_export(request, roster, fmt):
    """The roster as the list page shows it (same filters, same order), every row, in one sheet."""
    spec = _roster(roster)
    if fmt not in FORMATS:
        raise Http404(_("No such format."))
    access.can_export.require(request)
    user = request.user
    form = roster_filter_form(
        spec.filter_form, request, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user)
    )
    queryset = selectors.sorted_by(form.apply(spec.visible(user=user)), request.GET.get("sort"), spec.sorts)
    rows = exporting.roster_rows(roster, queryset)
    content = exporting.write_csv(roster, rows) if fmt == "csv" else exporting.write_xlsx(roster, rows)
    audit_record(
        kind=AuditEvent.Kind.EXPORT, request=request, target=f"militia:{roster}.{fmt}", detail=request.GET.urlencode()
    )
    return attachment(content, FORMATS[fmt], exporting.filename(roster, fmt))


# --- Import ----------------------------------------------------------------------------------


def _editable_units(user):
    units = Unit.objects.editable_by(user).current().select_related("kind", "parent")
    communes = [u for u in units if u.kind.is_commune_level]
    hamlets = [u for u in units if not u.kind.is_commune_level and u.parent_id and u.parent.kind.is_commune_level]
    return communes, hamlets


class RosterImport(ImportWizard):
    """An import into the militia or the reserve roster (the work is `militia.io.importing`)."""

    upload_template = "militia/import_upload.html"
    preview_template = "militia/import_preview.html"
    file_label = gettext_lazy("Roster file (.xlsx, .xls or .csv)")

    def __init__(self, request, roster):
        super().__init__(request)
        self.spec = _roster(roster)
        self.roster = roster
        access.can_import.require(request)

    def context(self):
        return {"spec": self.spec, "title": self.spec.title, "roster": self.roster}

    def upload_context(self):
        return {**super().upload_context(), "columns": columns_of(self.roster)}

    def read(self, upload):
        return reading.read_upload(upload, self.roster)

    def plan(self, rows, source):
        plan = importing.plan_import(user=self.user, roster=self.roster, rows=rows, source=source)
        return [row.as_dict() for row in plan]

    def commit(self, rows, planned, source):
        return importing.commit_import(user=self.user, roster=self.roster, rows=rows, planned=planned, source=source)

    def save(self, **stored):
        return storage.save(user=self.user, roster=self.roster, **stored)

    def load(self, token):
        return storage.load(token, user=self.user, roster=self.roster)

    def delete(self, token):
        storage.delete(token)

    def purge_expired(self):
        storage.purge_expired()

    def upload_url(self):
        return reverse("militia:import", kwargs={"roster": self.roster})

    def preview_url(self, token):
        return reverse("militia:import_preview", kwargs={"roster": self.roster, "token": token})

    def done_url(self):
        return reverse(self.spec.list_url)

    def audit_target(self):
        return f"militia:{self.roster}"

    def rejected_file(self, stored):
        content = exporting.rejected_xlsx(self.roster, stored["rows"], stored["plan"])
        name = exporting.filename(self.roster, "xlsx", suffix="-dong-bi-tu-choi")
        return attachment(content, exporting.XLSX_TYPE, name)


@require_GET
def import_template(request, roster):
    _roster(roster)
    access.can_import.require(request)
    communes, hamlets = _editable_units(request.user)
    content = exporting.template_xlsx(roster, communes=communes, hamlets=hamlets)
    return attachment(content, exporting.XLSX_TYPE, exporting.filename(roster, "xlsx", suffix="-mau-nhap"))


@require_http_methods(["GET", "POST"])
def import_upload(request, roster):
    return RosterImport(request, roster).upload()


@require_http_methods(["GET", "POST"])
def import_preview(request, roster, token):
    return RosterImport(request, roster).preview(token)


@require_GET
def import_rejected(request, roster, token):
    return RosterImport(request, roster).rejected(token)
