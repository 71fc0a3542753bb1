"""Pages of the units: the list, a unit's page with its history of reorganisations, and the reorganisation
forms (merge, split, rename, move): fill in, preview what moves, confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from units.access import RoleCheck, role_required
from units.forms import attach_errors
from units.models import CommandLink, Restructuring, Unit
from units.scoping import can_write, get_object_for_user

from . import official, proposals, services
from . import plan as plans
from .forms import MergeForm, MoveForm, OfficialBasisForm, RenameForm, SplitForm

PERM = "units.restructure_unit"
may_reorganise = RoleCheck((PERM,), gettext_lazy("Your role may not reorganise units."), writes=True)

ACTIONS = {
    "merge": (MergeForm, gettext_lazy("Merge")),
    "split": (SplitForm, gettext_lazy("Split")),
    "rename": (RenameForm, gettext_lazy("Rename")),
    "move": (MoveForm, gettext_lazy("Move under another unit")),
}


def _units(user):
    return Unit.objects.visible_to(user).select_related("kind", "parent", "successor")


def may_restructure(user, unit):
    return unit.valid_to is None and can_write(user, unit, "path", perm=PERM)


def unit_list(request):
    """The units the user reaches, in tree order; ended ones shown with their end and successor."""
    units = list(_units(request.user).order_by("path"))
    context = {"units": units, "may_restructure": may_reorganise(request.user), "section": "units"}
    return render(request, "reorg/unit_list.html", context)


def unit_detail(request, pk):
    unit = get_object_for_user(request, _units(request.user), pk=pk)
    children = list(Unit.objects.filter(parent=unit).select_related("kind").order_by("valid_to", "name"))
    predecessors = list(Unit.objects.filter(successor=unit).select_related("kind").order_by("name"))
    links = list(CommandLink.objects.filter(unit=unit).select_related("commander").order_by("-valid_from")) + list(
        CommandLink.objects.filter(commander=unit).select_related("unit").order_by("unit__name", "-valid_from")
    )
    history = list(
        Restructuring.objects.filter(units=unit)
        .select_related("by")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("path")))
        .distinct()
    )
    return render(
        request,
        "reorg/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "predecessors": predecessors,
            "links": links,
            "history": history,
            "actions": ACTIONS if may_restructure(request.user, unit) else {},
            "section": "units",
        },
    )


@require_http_methods(["GET", "POST"])
def restructure(request, pk, action):
    """Fill in the form, then `preview` (nothing written: the plan of what moves and what stays), then
    `confirm` (the service writes that plan in one transaction)."""
    if action not in ACTIONS:
        raise Http404
    unit = get_object_for_user(request, _units(request.user), pk=pk, write=True, perm=PERM)
    if unit.valid_to is not None:
        raise PermissionDenied(_("This unit has ended: it can no longer be reorganised."))
    form_class, title = ACTIONS[action]
    editable = Unit.objects.editable_by(request.user)
    visible = Unit.objects.visible_to(request.user)
    form = form_class(request.POST or None, unit=unit, editable=editable, visible=visible)
    context = {"unit": unit, "form": form, "action": action, "title": title, "section": "units"}
    if request.method == "POST" and form.is_valid():
        if "confirm" in request.POST:
            try:
                record = _commit(action, form, unit, request.user)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The reorganisation has been applied: %(what)s.") % {"what": record})
                return redirect("reorg:unit_detail", pk=_landing(record, unit).pk)
        else:
            plan = _preview(action, form, unit)
            if plan.errors:
                form.add_error(None, plan.errors)
            else:
                if action == "split":  # the division shown is the one confirmed
                    form = form_class(
                        form.with_division(plan.quota_division), unit=unit, editable=editable, visible=visible
                    )
                    form.is_valid()
                    context["form"] = form
                context["plan"] = plan
                return render(request, "reorg/preview.html", context)
    return render(request, "reorg/restructure_form.html", context)


def _preview(action, form, unit):
    on, basis = form.cleaned_data["on"], form.basis()
    if action == "merge":
        return services.merge_preview(sources=form.sources(), into=form.target(), on=on, basis=basis)
    if action == "split":
        return services.split_preview(
            source=unit, parts=form.parts(), on=on, basis=basis, quotas=form.quotas(), reports_to=form.reports_to()
        )
    if action == "move":
        return services.move_preview(unit=unit, new_parent=form.cleaned_data["new_parent"], on=on, basis=basis)
    plan = plans.Plan(Restructuring.Kind.RENAME, on, [unit], [unit])
    errors = services._simple_checks(unit=unit, on=on, basis=basis)
    if form.cleaned_data["name"].strip() == unit.name:
        errors.append(_("The new name is the same as the current one."))
    plan.errors = [str(e) for e in errors]
    plan.new_name = form.cleaned_data["name"]
    return plan


def _commit(action, form, unit, user):
    on, basis = form.cleaned_data["on"], form.basis()
    if action == "merge":
        return services.unit_merge(sources=form.sources(), into=form.target(), on=on, basis=basis, by=user)
    if action == "split":
        return services.unit_split(
            source=unit,
            parts=form.parts(),
            on=on,
            basis=basis,
            by=user,
            quotas=form.quotas(),
            reports_to=form.reports_to(),
        )
    if action == "move":
        return services.unit_move(unit=unit, new_parent=form.cleaned_data["new_parent"], on=on, basis=basis, by=user)
    return services.unit_rename(unit=unit, name=form.cleaned_data["name"], on=on, basis=basis, by=user)


def _landing(record, unit):
    """The page to show after the change: the merged unit, the first part, or the unit itself."""
    unit.refresh_from_db()
    return unit.successor or unit


@role_required(may_reorganise)
def official_proposals(request):
    """The mergers the official conversion of 2025 proposes for the user's communes (reorg.proposals): each
    opens the merge preview filled in, for the user to check and confirm. The legal basis typed at the top
    is carried into every one."""
    basis = OfficialBasisForm(request.GET or None)
    carried = basis.carried() if basis.is_bound and basis.is_valid() else basis.carried_raw()
    items = proposals.proposals_for(user=request.user)
    groups = {
        state: [p for p in items if p.state == state]
        for state in (proposals.PENDING, proposals.DONE, proposals.UNCHANGED)
    }
    return render(
        request,
        "reorg/official_proposals.html",
        {
            "basis_form": basis,
            "carried": carried,
            "pending": groups[proposals.PENDING],
            "done": groups[proposals.DONE],
            "unchanged": groups[proposals.UNCHANGED],
            "effective_day": official.EFFECTIVE_DAY,
            "section": "units",
        },
    )
