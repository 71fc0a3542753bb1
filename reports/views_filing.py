"""Filing and review pages of a report: read, edit (with autosave and the version check), check before
submitting, the workflow steps and comments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from units.scoping import get_object_for_user, get_scope

from . import rules, selectors, services
from .forms import ActionForm, CommentForm, ReportForm, format_value
from .models import IndicatorValue, Report, ReportStatus, SectionText, TemplateSection

ACTION_SERVICES = {
    "submit": lambda user, report, comment: services.report_submit(user=user, report=report, comment=comment),
    "return": lambda user, report, comment: services.report_return(user=user, report=report, comment=comment),
    "approve": lambda user, report, comment: services.report_approve(user=user, report=report, comment=comment),
    "reopen": lambda user, report, comment: services.report_reopen(user=user, report=report, reason=comment),
    "withdraw": lambda user, report, comment: services.report_withdraw(user=user, report=report, comment=comment),
}
ACTION_DONE = {
    "submit": lambda: _("The report was submitted for review."),
    "return": lambda: _("The report was returned to its unit with your comment."),
    "approve": lambda: _("The report was approved."),
    "reopen": lambda: _("The report was reopened as a draft."),
    "withdraw": lambda: _("The report was withdrawn: it is a draft again, to correct and submit anew."),
}
# The steps of the unit that files the report; the others are the reviewer's.
FILER_ACTIONS = ("submit", "withdraw")


def _get_report(request, pk, *, write=False):
    queryset = Report.objects.select_related(
        "unit", "unit__kind", "unit__parent", "period", "template", "last_saved_by", "submitted_by", "approved_by"
    )
    return get_object_for_user(request, queryset, pk=pk, write=write, perm="reports.change_report" if write else None)


def _can_file(user, report):
    return user.has_perm("reports.change_report") and get_scope(user).can_write_path(report.unit.path)


def _can_review(user, report):
    return user.has_perm("reports.approve_report") and get_scope(user).can_read_path(report.unit.path)


def _actions(user, report):
    """The workflow steps the user may take now, in the order the buttons show."""
    actions = []
    if _can_file(user, report) and report.status in rules.TRANSITIONS["submit"][0]:
        actions.append("submit")
    if _can_file(user, report) and report.status in rules.TRANSITIONS["withdraw"][0]:
        actions.append("withdraw")
    if _can_review(user, report):
        if report.status == ReportStatus.SUBMITTED:
            actions.append("return")
            if report.submitted_by_id != user.pk:
                actions.append("approve")
        elif report.status == ReportStatus.APPROVED:
            actions.append("reopen")
    return actions


def _pick_section(sheet, raw):
    """The blocks to show: one section (?section=<id>) or the whole report."""
    try:
        wanted = int(raw)
    except (TypeError, ValueError):
        return sheet["sections"], None
    chosen = [block for block in sheet["sections"] if block["section"].pk == wanted]
    if not chosen:
        return sheet["sections"], None
    return chosen, chosen[0]["section"]


def _decorate(sheet):
    """Formatted figures for the template (Vietnamese separators) and each roll-up's per-unit breakdown."""
    roll = sheet["rollup"]
    for block in sheet["sections"]:
        for row in block["rows"]:
            decimals = row["indicator"].decimals
            row["value_text"] = format_value(row["value"], decimals)
            row["last_text"] = format_value(row["last"], decimals)
            row["auto_text"] = format_value(row["auto"], decimals)
            if roll and row["rollup"] is not None and row["indicator"].aggregation != "none":
                per_child = row["rollup"]["per_child"]
                row["rollup_text"] = format_value(row["rollup"]["total"], decimals)
                row["breakdown"] = [
                    (child["unit"], format_value(per_child.get(child["unit"].pk), decimals))
                    for child in roll["children"]
                ]
    return sheet


def _section_url(name, report, section=None, anchor=""):
    url = reverse(f"reports:{name}", args=[report.pk])
    if section is not None:
        url += f"?section={section.pk}"
    return url + (f"#{anchor}" if anchor else "")


def _header_context(request, report):
    return {
        "report": report,
        "can_edit": report.is_editable and _can_file(request.user, report),
        "actions": _actions(request.user, report),
    }


def _page_sheet(report):
    """The sheet with its figures formatted, kept until the report's subtree changes."""
    return selectors.kept_for_report(report, "report-page", lambda: _decorate(selectors.report_sheet(report)))


def report_detail(request, pk):
    report = _get_report(request, pk)
    sheet = _page_sheet(report)
    blocks, current = _pick_section(sheet, request.GET.get("section"))
    context = {
        **_header_context(request, report),
        "sheet": sheet,
        "blocks": blocks,
        "current": current,
        "timeline": selectors.timeline(report),
    }
    return render(request, "reports/report_detail.html", context)


# --- Editing -------------------------------------------------------------------------------------------


def _edit_form(request, report, data=None):
    sheet = selectors.report_sheet(report, with_live=True)
    blocks, current = _pick_section(sheet, request.GET.get("section"))
    form = ReportForm(data, blocks=blocks, report=report, with_document=current is None)
    return sheet, current, form


def _save(request, report, form, sheet):
    """Save the form: ("saved", report), ("invalid", None) or ("conflict", the report as saved by the other)."""
    if not form.is_valid():
        return "invalid", None
    live = {pk: value for pk, (value, _note) in sheet["live"].items()}
    try:
        report = services.report_save(
            user=request.user, report=report, version=form.cleaned_data["version"], draft=form.draft(), live=live
        )
    except ValidationError as error:
        form.add_service_errors(error)
        return "invalid", None
    except services.ReportConflict as conflict:
        return "conflict", conflict.report
    except PermissionDenied as error:  # submitted or approved meanwhile: nothing was written
        return "locked", str(error)
    return "saved", report


def _mark_theirs(form, current, data):
    """Beside each field the user typed differently, the text or value the other person saved; in `data`
    (the form shown again) their text or value where the user had left the field as they found it."""
    texts = dict(SectionText.objects.filter(report=current).values_list("section_id", "text"))
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(report=current)}
    changed = 0
    for block in form.blocks:
        section_id = block["section"].pk
        mine = (form.cleaned_data.get(f"text_{section_id}") or "").strip()
        theirs = (texts.get(section_id) or "").strip()
        if mine != theirs:
            block["conflict"], block["theirs_text"] = True, theirs
            changed += 1
            if form.untouched(f"text_{section_id}"):
                data[form.add_prefix(f"text_{section_id}")] = texts.get(section_id) or ""
        for row in block["rows"]:
            indicator = row["indicator"]
            try:
                typed = services.parse_value(form.cleaned_data.get(f"value_{indicator.pk}"))
            except ValueError:
                typed = "?"
            stored = values.get(indicator.pk)
            saved = stored.value if stored else None
            if typed != saved:
                row["theirs_value"] = format_value(saved, indicator.decimals) or "—"
                changed += 1
                if stored is not None and form.untouched(f"value_{indicator.pk}"):
                    data[form.add_prefix(f"value_{indicator.pk}")] = format_value(saved, indicator.decimals)
                    if f"reason_{indicator.pk}" in form.fields:
                        data[form.add_prefix(f"reason_{indicator.pk}")] = stored.override_reason
    return changed


def _conflict_message(current):
    who = current.last_saved_by.get_full_name() or current.last_saved_by.username if current.last_saved_by else "?"
    when = date_format(timezone.localtime(current.last_saved_at), "d/m/Y H:i") if current.last_saved_at else "?"
    return _(
        "%(who)s saved this report at %(when)s, after you opened it. Your changes were NOT saved: they are "
        "still in the form. Their saved values are shown beside the fields that differ; save again to keep yours."
    ) % {"who": who, "when": when}


@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = _get_report(request, pk, write=True)
    if not report.is_editable:
        messages.warning(
            request,
            _("This report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()},
        )
        return redirect("reports:report_detail", report.pk)
    conflict = None
    if request.method == "POST":
        sheet, current, form = _edit_form(request, report, request.POST)
        outcome, saved = _save(request, report, form, sheet)
        if outcome == "saved":
            messages.success(
                request,
                _("Draft saved at %(time)s (version %(version)s).")
                % {"time": timezone.localtime(saved.last_saved_at).strftime("%H:%M"), "version": saved.version},
            )
            if request.POST.get("then") == "check":
                return redirect("reports:report_check", report.pk)
            return redirect(_section_url("report_edit", report, current))
        if outcome == "locked":
            messages.error(request, saved)
            return redirect("reports:report_detail", report.pk)
        if outcome == "conflict":
            conflict = saved
            # The form comes back merged: their text or value where the user left a field as they found it.
            data = request.POST.copy()
            _mark_theirs(form, conflict, data)
            report.version, report.last_saved_at = conflict.version, conflict.last_saved_at
            report.last_saved_by = conflict.last_saved_by
            # The next save is deliberate: it is taken against the version the user has now seen, and writes
            # only what they changed since they opened the page (base_version and loaded are kept).
            data["version"] = str(conflict.version)
            form = ReportForm(data, blocks=form.blocks, report=report, with_document=current is None)
            form.is_valid()
        else:
            messages.error(request, _("The draft was not saved: correct the marked fields."))
    else:
        sheet, current, form = _edit_form(request, report)
    context = {
        **_header_context(request, report),
        "sheet": _decorate(sheet),
        "returned": selectors.return_notes([report]).get(report.pk),
        "commented_sections": [block for block in sheet["sections"] if block["comments"]],
        "blocks": form.bound_rows(),
        "current": current,
        "form": form,
        "conflict": conflict,
        "autosave_url": _section_url("report_autosave", report, current),
    }
    return render(request, "reports/report_edit.html", context, status=200 if conflict is None else 409)


@require_POST
def report_autosave(request, pk):
    """Save the form in the background (static/js/report_autosave.js): JSON with the new version."""
    try:
        report = _get_report(request, pk, write=True)
        if not report.is_editable:
            services.check_can_edit(request.user, report)
    except PermissionDenied as error:
        return JsonResponse({"ok": False, "stop": True, "message": str(error)}, status=403)
    sheet, _current, form = _edit_form(request, report, request.POST)
    outcome, saved = _save(request, report, form, sheet)
    if outcome == "saved":
        time = timezone.localtime(saved.last_saved_at).strftime("%H:%M")
        return JsonResponse(
            {"ok": True, "version": saved.version, "saved_at": time, "message": _("Saved at %(time)s") % {"time": time}}
        )
    if outcome == "conflict":
        return JsonResponse({"ok": False, "stop": True, "message": _conflict_message(saved)}, status=409)
    if outcome == "locked":
        return JsonResponse({"ok": False, "stop": True, "message": saved}, status=403)
    return JsonResponse(
        {
            "ok": False,
            "errors": {name: [str(m) for m in msgs] for name, msgs in form.errors.items()},
            "message": _("Not saved automatically: correct the marked fields."),
        },
        status=400,
    )


# --- Checking, the workflow, comments --------------------------------------------------------------------


def report_check(request, pk):
    """Before submitting: what is missing and what the reviewer will be warned about, with links to fix it."""
    report = _get_report(request, pk)
    sheet = _page_sheet(report)
    missing, warned = [], []
    for block in sheet["sections"]:
        for row in block["rows"]:
            entry = {"section": block["section"], "row": row}
            if row["saved"] is None or row["value"] is None:
                missing.append(entry)
            if row["warnings"]:
                warned.append(entry)
    context = {
        **_header_context(request, report),
        "sheet": sheet,
        "missing": missing,
        "warned": warned,
        "missing_texts": sheet["missing_texts"],
        "missing_count": len(missing) + len(sheet["missing_texts"]),
        "action_form": ActionForm(action="submit"),
    }
    return render(request, "reports/report_check.html", context)


@require_http_methods(["GET", "POST"])
def report_action(request, pk, action):
    if action not in rules.TRANSITIONS:
        raise Http404(_("No such step."))
    if action in FILER_ACTIONS:
        report = _get_report(request, pk, write=True)
    else:
        report = _get_report(request, pk)
        if not _can_review(request.user, report):
            raise PermissionDenied(_("Only a commander of this unit may review its reports."))
    form = ActionForm(request.POST or None, action=action)
    if request.method == "GET":
        error = rules.transition_error(action=action, report=report, user=request.user, comment="-")
        if error:
            messages.error(request, error)
            return redirect("reports:report_detail", report.pk)
    elif form.is_valid():
        try:
            ACTION_SERVICES[action](request.user, report, form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reports:report_detail", report.pk)
        messages.success(request, ACTION_DONE[action]())
        return redirect("reports:report_detail", report.pk)
    context = {**_header_context(request, report), "action": action, "form": form}
    return render(request, "reports/confirm_action.html", context, status=400 if form.is_bound else 200)


@require_POST
def report_comment(request, pk):
    report = _get_report(request, pk)
    form = CommentForm(request.POST)
    section = None
    anchor = "comments-general"
    if form.is_valid():
        section_id = form.cleaned_data["section"]
        if section_id:
            section = TemplateSection.objects.filter(pk=section_id, template_id=report.template_id).first()
            anchor = f"comments-{section_id}"
        if section_id and section is None:
            messages.error(request, _("This section is not part of the report."))
        else:
            try:
                services.comment_add(user=request.user, report=report, text=form.cleaned_data["text"], section=section)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write the comment first."))
    view = TemplateSection.objects.filter(pk=_int(request.POST.get("view")), template_id=report.template_id).first()
    return redirect(_section_url("report_detail", report, view, anchor))


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None
