"""Inbox, periods and completeness pages, and the .xlsx export of a period's indicator values."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from units.audit import audit_record
from units.forms import attach_errors
from units.models import AuditEvent
from units.paging import CountCachedPaginator

from . import io, selectors, services
from .forms_period import PeriodForm
from .models import Period
from .selectors import UnitState

PERIODS_PER_PAGE = 20
STATE_ORDER = [
    UnitState.NOT_STARTED,
    UnitState.DRAFT,
    UnitState.ON_TIME,
    UnitState.LATE,
    UnitState.RETURNED,
    UnitState.APPROVED,
]


def can_manage_periods(user):
    return user.has_perm("reports.add_period")


def periods_page(request, per_page=PERIODS_PER_PAGE):
    # Periods belong to no unit: opening or creating one marks everything.
    return CountCachedPaginator(selectors.periods_visible(user=request.user), per_page, units=()).get_page(
        request.GET.get("page")
    )


@require_GET
def inbox(request):
    """The four lists of reports waiting for the user (each up to 50, with the full count)."""
    user = request.user
    box = selectors.inbox_kept(user=user)
    can_review, can_file = user.has_perm("reports.approve_report"), user.has_perm("reports.change_report")
    lists = [
        {
            "key": "waiting",
            "title": _("Waiting for my action"),
            "help": _("Reports submitted in your units, for you to approve or return."),
            "empty": _("No report is waiting for your review."),
            "shown": can_review,
        },
        {
            "key": "drafts",
            "title": _("My drafts"),
            "help": _("Reports of your units not yet submitted."),
            "empty": _("No draft: every report of your units has been submitted."),
            "shown": can_file,
        },
        {
            "key": "returned",
            "title": _("Returned to me"),
            "help": _("Reports a commander sent back with a comment: fix them and submit again."),
            "empty": _("No report has been returned to you."),
            "shown": can_file,
        },
        {
            "key": "overdue",
            "title": _("Overdue"),
            "help": _("Reports of your units past their due date and not yet submitted."),
            "empty": _("Nothing is overdue."),
            "shown": True,
        },
    ]
    for entry in lists:
        entry.update(box[entry["key"]])
    return render(request, "reports/inbox.html", {"lists": [e for e in lists if e["shown"]]})


@require_GET
def period_list(request):
    return render(
        request,
        "reports/period_list.html",
        {"page": periods_page(request), "can_add_period": can_manage_periods(request.user)},
    )


@require_http_methods(["GET", "POST"])
def period_create(request):
    """Create a period and open it (one report per expected unit) in one transaction."""
    if not can_manage_periods(request.user):
        raise PermissionDenied(_("Your role may not open reporting periods."))
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period, created = services.period_create_and_open(
                user=request.user,
                kind=data["kind"],
                year=data["year"],
                number=data["number"],
                due_date=data["due_date"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        except IntegrityError:  # the same period created meanwhile by someone else
            form.add_error(None, _("This period already exists: open it from the list of periods."))
        else:
            messages.success(
                request,
                ngettext("%(n)s report created.", "%(n)s reports created.", created) % {"n": created},
            )
            return redirect("reports:period_detail", pk=period.pk)
    return render(request, "reports/period_form.html", {"form": form})


UNITS_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
def period_detail(request, pk):
    """The completeness of a period (like the reporting-rate view of a health information system); a POST
    opens the period again, creating the reports of units added since."""
    period = get_object_or_404(Period, pk=pk)
    user = request.user
    if request.method == "POST":
        if not can_manage_periods(user):
            raise PermissionDenied(_("Your role may not open reporting periods."))
        created = services.period_open(period=period, user=user)
        if created:
            messages.success(
                request, ngettext("%(n)s report created.", "%(n)s reports created.", created) % {"n": created}
            )
        else:
            messages.info(request, _("Every unit already has its report: nothing to create."))
        return redirect("reports:period_detail", pk=period.pk)
    state = request.GET.get("state", "")
    if state not in UnitState.LABELS:
        state = ""
    asked = request.GET.get("page")

    data = selectors.completeness_page(period=period, user=user, state=state, asked=asked, per_page=UNITS_PER_PAGE)
    result = data["result"]
    page = Paginator(range(data["count"]), UNITS_PER_PAGE).get_page(data["number"])
    states = [
        {"key": key, "label": UnitState.LABELS[key](), "count": result["counts"].get(key, 0)} for key in STATE_ORDER
    ]
    return render(
        request,
        "reports/period_detail.html",
        {
            "period": period,
            "result": result,
            "rows": data["rows"],
            "page": page,
            "query": f"state={state}" if state else "",
            "state": state,
            "states": states,
            "missing_reports": data["missing_reports"],
            "can_add_period": can_manage_periods(user),
            "can_export": user.has_perm("reports.export_reports"),
        },
    )


@require_GET
def period_values_xlsx(request, pk):
    """Every visible unit's indicator values of the period, one row per unit, and their narratives."""
    period = get_object_or_404(Period, pk=pk)
    if not request.user.has_perm("reports.export_reports"):
        raise PermissionDenied(_("Your role may not export reports."))
    content = io.period_values_xlsx(period=period, user=request.user)
    audit_record(kind=AuditEvent.Kind.EXPORT, request=request, target=f"reports:period{period.pk}.xlsx")
    response = HttpResponse(content, content_type=io.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{io.period_filename(period)}"'
    response["Cache-Control"] = "no-store"
    return response
