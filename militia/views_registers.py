"""The "Registers" tab: the militia register and the reserve register of a unit, as they stood on a day,
as PDF, Word or Excel (`militia.documents`). Reading them needs the roster export permission; each file is
audited."""

from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal_io import documents as official
from portal_io import writing
from units.audit import audit_record
from units.models import AuditEvent, Unit

from . import documents
from .forms import RegisterForm

EXPORT_PERM = "militia.export_roster"


def register_units(user):
    """The district and commune-level units the user reads, the tree's order."""
    return (
        Unit.objects.visible_to(user)
        .current()
        .filter(kind__code__in=("province", "district", "commune", "town"))
        .select_related("kind", "parent", "parent__kind")
        .order_by("path")
    )


@require_GET
def registers(request):
    """The form; with its fields in the query, the register's file."""
    user = request.user
    if not user.has_perm(EXPORT_PERM):
        raise PermissionDenied(_("Your role may not do this."))
    units = register_units(user)
    if "register" not in request.GET:
        form = RegisterForm(units=units, initial={"on": timezone.localdate(), "fmt": "pdf"})
        return render(request, "militia/registers.html", {"form": form})
    form = RegisterForm(request.GET, units=units)
    if not form.is_valid():
        return render(request, "militia/registers.html", {"form": form}, status=400)
    data = form.cleaned_data
    unit = Unit.objects.select_related("kind", "parent", "parent__kind").get(pk=data["unit"].pk)
    doc, table = documents.REGISTERS[data["register"]](user=user, unit=unit, on=data["on"])
    fmt = data["fmt"]
    if fmt == "xlsx":
        content, content_type = documents.register_xlsx(doc, table), writing.XLSX_TYPE
    elif fmt == "docx":
        content, content_type = official.render_docx(doc), official.DOCX_TYPE
    else:
        content, content_type = official.render_pdf(doc), official.PDF_TYPE
    name = doc.filename(fmt)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=f"militia:register:{data['register']}.{fmt}",
        detail=f"{unit.name} · {data['on']:%d/%m/%Y} · {len(table[1])}",
    )
    response = HttpResponse(content, content_type=content_type)
    utf8 = quote(doc.filename(fmt, utf8=True))
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{utf8}"
    response["Cache-Control"] = "no-store"
    return response
