"""The "Documents" tab of a campaign: every paper of the recruitment year as Word, PDF and (for lists)
Excel, made from the records (`recruitment.documents`); numbered documents are registered in the issuing
unit's register and every file is audited."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from units.audit import audit_record
from units.jobs import job_start
from units.models import AuditEvent, Unit
from units.scoping import get_scope
from units.selectors import officeholder_on

from . import access, documents, selectors, tasks, views
from .forms import DocumentForm

LABELS = documents.LABELS
FORMAT_LABELS = {
    "pdf": gettext_lazy("PDF"),
    "docx": gettext_lazy("Word (.docx)"),
    "xlsx": gettext_lazy("Excel (.xlsx)"),
    "zip": gettext_lazy("Word files (.zip)"),
}


def formats_of(paper):
    if paper.personal:
        keys = ("pdf", "zip")
    elif paper.is_list:
        keys = ("pdf", "docx", "xlsx")
    else:
        keys = ("pdf", "docx")
    return [(key, FORMAT_LABELS[key]) for key in keys]


def _documents_campaign(request, pk):
    if not access.can_export(request.user):
        raise PermissionDenied(_("Your role may not do this."))
    return views._campaign(request, pk)


def _form(paper, campaign, user, data=None):
    communes = selectors.campaign_communes(campaign=campaign, user=user)
    queryset = Unit.objects.filter(pk__in=[c.pk for c in communes]).select_related("kind").order_by("name")
    form = DocumentForm(
        data,
        communes=queryset,
        formats=formats_of(paper),
        fields=paper.fields,
        prefix=paper.key,
        initial={"day": campaign.handover_date if paper.key in ("callup_order", "handover_record") else None},
    )
    if "signer_name" in form.fields and data is None and len(communes) == 1:
        # The signer on record for today's papers, shown in the empty field: left empty, each paper prints
        # whoever held the office on its own date (a paper made again keeps its first date and signer).
        today = timezone.localdate()
        unit, office = documents.signing_office(paper.key, campaign=campaign, commune=communes[0], on=today)
        holder = officeholder_on(unit=unit, office=office, on=today)
        if holder is not None:
            form.fields["signer_name"].widget.attrs["placeholder"] = holder.full_name
            form.fields["signer_name"].help_text = _(
                "On record: %(name)s (%(office)s of %(unit)s). Type another name for this paper only."
            ) % {"name": holder.full_name, "office": holder.get_office_display(), "unit": unit.name}
    return form


@require_GET
def campaign_documents(request, pk):
    """Every paper of the year, each with its form: the commune, the file and what it asks for."""
    campaign = _documents_campaign(request, pk)
    user = request.user
    papers = []
    for key, paper in documents.PAPERS.items():
        label, help_text = LABELS[key]
        papers.append({"paper": paper, "label": label, "help": help_text, "form": _form(paper, campaign, user)})
    context = {
        "campaign": campaign,
        "papers": papers,
        "can_edit": access.can_edit_candidates(user) and not campaign.is_closed,
    }
    return render(request, "recruitment/campaign_documents.html", context)


def _attachment(content, content_type, name, name_utf8):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name_utf8)}"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def document_make(request, pk, key):
    """Make one paper for a commune. Numbered papers need write access to the commune (they enter its
    register); a register or a paper already issued is read by whoever may export the campaign's lists."""
    paper = documents.PAPERS.get(key)
    if paper is None:
        raise Http404(_("No such document."))
    campaign = _documents_campaign(request, pk)
    user = request.user
    form = _form(paper, campaign, user, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{LABELS[key][0]}: {error}")
        return redirect("recruitment:campaign_documents", pk=campaign.pk)
    commune = form.cleaned_data["commune"]
    if paper.numbered and not (
        get_scope(user).can_write_path(commune.path) and user.has_perm("recruitment.change_candidate")
    ):
        audit_record(kind=AuditEvent.Kind.DENIED, request=request, target=f"recruitment:{campaign.pk}:doc:{key}")
        raise PermissionDenied(_("Your role may not issue documents for %(unit)s.") % {"unit": commune.name})
    data = form.cleaned_data
    opts = documents.Options(
        on=timezone.localdate(),
        day=data.get("day"),
        when=data.get("when"),
        place=data.get("place", ""),
        bring=data.get("bring", ""),
        receiving_unit=data.get("receiving_unit", ""),
        signer_name=data.get("signer_name", ""),
        posted_on=data.get("posted_on"),
    )
    if paper.personal:
        # One paper per citizen: a whole commune's batch is made by the worker, with its progress shown.
        job = job_start(
            user=user,
            kind=tasks.PERSONAL_BATCH,
            title=f"{LABELS[key][0]} · {commune.name} · {campaign.year}",
            task=tasks.make_papers_task,
            params={
                "key": key,
                "campaign": campaign.pk,
                "commune": commune.pk,
                "fmt": data["fmt"],
                "options": tasks.options_to_params(opts),
            },
        )
        audit_record(
            kind=AuditEvent.Kind.EXPORT,
            request=request,
            target=f"recruitment:{campaign.pk}:doc:{key}.{data['fmt']}",
            detail=f"{commune.name} · job {job.pk}",
        )
        return redirect("files:detail", pk=job.pk)
    try:
        docs, table = documents.build(key, campaign=campaign, commune=commune, user=user, opts=opts)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("recruitment:campaign_documents", pk=campaign.pk)
    if not docs:
        messages.warning(
            request, _("%(document)s: nobody in %(unit)s for now.") % {"document": LABELS[key][0], "unit": commune.name}
        )
        return redirect("recruitment:campaign_documents", pk=campaign.pk)
    content, content_type, extension = documents.render_file(paper, docs, table, data["fmt"])
    name, name_utf8 = docs[0].filename(extension), docs[0].filename(extension, utf8=True)
    audit_record(
        kind=AuditEvent.Kind.EXPORT,
        request=request,
        target=f"recruitment:{campaign.pk}:doc:{key}.{extension}",
        detail=f"{commune.name} · {len(docs)}",
    )
    return _attachment(content, content_type, name, name_utf8)
