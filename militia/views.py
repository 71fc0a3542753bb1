"""Pages of the militia (DQTV) and reserve (DBĐV) rosters."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from people.forms import PersonForm
from people.models import Person
from people.selectors import record_history
from people.widgets import lighten_filter_selects
from units.access import role_required
from units.concurrency import EditConflict
from units.forms import attach_errors
from units.freshness import scope_units
from units.models import Unit
from units.paging import CountCachedPaginator
from units.scoping import can_write, get_object_for_user, get_scope
from units.selectors import communes_visible, hamlets_visible, home_units_editable

from . import access, selectors, services
from .forms import (
    DutyRecordFilterForm,
    DutyRecordForm,
    EndMembershipForm,
    MemberFilterForm,
    MemberForm,
    ReservistFilterForm,
    ReservistForm,
    ReservistStatusForm,
    posts_for,
    roster_filter_form,
)
from .models import MemberStatus, MilitiaMember, ReservePlacement, Reservist, ReservistStatus


def index(request):
    """Roster home: figures per commune and the alerts that need action."""
    user = request.user
    context = {
        "militia": selectors.militia_summary_by_commune(user=user),
        "reserve": selectors.reserve_summary_by_commune(user=user),
        "match_rates": selectors.reserve_match_rate_by_category(user=user),
        "alerts": selectors.alerts(user=user),
        "can_edit": access.can_edit_rosters(user),
    }
    return render(request, "militia/index.html", context)


def _list_context(request, form, queryset, sorts, default_sort="name"):
    lighten_filter_selects(form)
    sort = request.GET.get("sort", default_sort)
    queryset = selectors.sorted_by(form.apply(queryset), sort, sorts)
    units = scope_units(get_scope(request.user))
    page = CountCachedPaginator(queryset, settings.PAGE_SIZE, units=units).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return {
        "form": form,
        "page": page,
        "sort": sort,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "export_query": query.urlencode(),
    }


MEMBER_ROW_RELATIONS = ("person", "person__home_unit", "unit", "force_type")


def member_list(request):
    user = request.user
    form = roster_filter_form(
        MemberFilterForm, request, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user)
    )
    # Only the relations the table shows: fewer joins to plan on every page of the list.
    members = selectors.members_visible(user=user).select_related(None).select_related(*MEMBER_ROW_RELATIONS)
    context = _list_context(request, form, members, selectors.MEMBER_SORTS)
    context.update(can_edit=access.can_edit_rosters(user), roster="members", today=timezone.localdate())
    template = "militia/_member_results.html" if _wants_results(request) else "militia/member_list.html"
    return render(request, template, context)


def reservist_list(request):
    user = request.user
    form = roster_filter_form(
        ReservistFilterForm, request, communes=communes_visible(user=user), hamlets=hamlets_visible(user=user)
    )
    # Each row shows the post held on the day the list is taken on (the filter's date, else today).
    day = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    held = ReservePlacement.objects.filter(ReservePlacement.objects.on_q(day)).select_related("post__reserve_unit")
    reservists = selectors.reservists_visible(user=user).prefetch_related(
        Prefetch("placements", queryset=held, to_attr="held")
    )
    context = _list_context(request, form, reservists, selectors.RESERVIST_SORTS)
    context.update(can_edit=access.can_edit_rosters(user), roster="reservists")
    template = "militia/_reservist_results.html" if _wants_results(request) else "militia/reservist_list.html"
    return render(request, template, context)


def _wants_results(request):
    return bool(request.htmx) and request.htmx.target == "results"


def member_detail(request, pk):
    member = get_object_for_user(request, selectors.members_visible(user=request.user), pk=pk)
    context = {
        "member": member,
        "history": _history(member),
        "other_memberships": member.person.militia_memberships.exclude(pk=member.pk)
        .select_related("unit", "force_type")
        .order_by("-joined_on"),
        "can_edit": can_write(
            request.user, member, MilitiaMember.scope_path_field, perm="militia.change_militiamember"
        ),
    }
    return render(request, "militia/member_detail.html", context)


def reservist_detail(request, pk):
    reservist = get_object_for_user(request, selectors.reservists_visible(user=request.user), pk=pk)
    context = {
        "reservist": reservist,
        "placements": reservist.placements.select_related("post__reserve_unit__parent"),
        "history": _history(reservist),
        "can_edit": can_write(request.user, reservist, Reservist.scope_path_field, perm="militia.change_reservist"),
    }
    return render(request, "militia/reservist_detail.html", context)


def _history(obj):
    return record_history(obj)


def _editable_communes(user):
    return Unit.objects.editable_by(user).current().communes().select_related("kind").order_by("name")


def _home_units(user):
    return home_units_editable(user=user)


@require_http_methods(["GET", "POST"])
@role_required(access.can_edit_rosters)
def member_create(request):
    return _create(
        request, MemberForm, services.member_enlist_person, "militia/member_form.html", "militia:member_detail"
    )


@require_http_methods(["GET", "POST"])
@role_required(access.can_add_reservists)
def reservist_create(request):
    return _create(
        request,
        ReservistForm,
        services.reservist_register_person,
        "militia/reservist_form.html",
        "militia:reservist_detail",
        posts=posts_for(request.user),
    )


def _create(request, form_class, service, template, detail_url, **form_kwargs):
    """One page: pick an existing person or register a new one, and create the roster record."""
    user = request.user
    data = request.POST or None
    initial = {}
    preset = request.GET.get("person")
    if preset and preset.isdigit():
        initial["person_id"] = int(preset)
    form = form_class(data, initial=initial, communes=_editable_communes(user), **form_kwargs)
    person_form = PersonForm(data, prefix="p", user=user, home_units=_home_units(user), embedded=True)
    chosen = None
    if initial.get("person_id"):
        chosen = Person.objects.visible_to(user).filter(pk=initial["person_id"]).first()
    if request.method == "POST" and form.is_valid():
        person = form.resolve_person(user)
        new_person = person is None and not form.errors
        if new_person and not person_form.is_valid():
            form.add_error(None, _("Pick an existing person by national ID, or fill in the new person below."))
        elif not form.errors:
            record_fields = {k: v for k, v in form.cleaned_data.items() if k not in ("person_id", "person_national_id")}
            try:
                record = service(
                    user=user,
                    person=None if new_person else person,
                    new_person=(
                        {k: v for k, v in person_form.cleaned_data.items() if k != "confirm_duplicate"}
                        if new_person
                        else None
                    ),
                    **record_fields,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, _("%(name)s has been added to the roster.") % {"name": record.person.full_name}
                )
                return redirect(detail_url, pk=record.pk)
        # A new person was rolled back with the record: show the person form again, not a row that no longer exists.
        chosen = None if new_person else person
    context = {"form": form, "person_form": person_form, "chosen": chosen, "record": None}
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def member_update(request, pk):
    member = get_object_for_user(
        request, selectors.members_visible(user=request.user), pk=pk, write=True, perm="militia.change_militiamember"
    )
    form = MemberForm(request.POST or None, instance=member, communes=_editable_communes(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                user=request.user, member=member, loaded_version=form.loaded_version, **form.cleaned_data
            )
        except EditConflict:
            form.refuse_stale()
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Changes have been saved."))
            return redirect("militia:member_detail", pk=member.pk)
    return render(
        request, "militia/member_form.html", {"form": form, "record": member}, status=409 if form.conflict else 200
    )


@require_http_methods(["GET", "POST"])
def reservist_update(request, pk):
    reservist = get_object_for_user(
        request, selectors.reservists_visible(user=request.user), pk=pk, write=True, perm="militia.change_reservist"
    )
    form = ReservistForm(
        request.POST or None,
        instance=reservist,
        communes=_editable_communes(request.user),
        posts=posts_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reservist_update(
                user=request.user, reservist=reservist, loaded_version=form.loaded_version, **form.cleaned_data
            )
        except EditConflict:
            form.refuse_stale()
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("Changes have been saved."))
            return redirect("militia:reservist_detail", pk=reservist.pk)
    return render(
        request,
        "militia/reservist_form.html",
        {"form": form, "record": reservist},
        status=409 if form.conflict else 200,
    )


@require_http_methods(["GET", "POST"])
def member_end(request, pk):
    """End a membership: a POST with the reason and an explicit confirmation."""
    member = get_object_for_user(
        request, selectors.members_visible(user=request.user), pk=pk, write=True, perm="militia.change_militiamember"
    )
    if member.status != MemberStatus.ACTIVE:
        messages.info(request, _("This membership has already ended."))
        return redirect("militia:member_detail", pk=member.pk)
    form = EndMembershipForm(request.POST or None, initial={"exit_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(
                user=request.user,
                member=member,
                status=form.cleaned_data["status"],
                exit_date=form.cleaned_data["exit_date"],
                exit_reason=form.cleaned_data["exit_reason"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The membership of %(name)s has ended.") % {"name": member.person.full_name})
            return redirect("militia:member_detail", pk=member.pk)
    return render(request, "militia/confirm_end.html", {"form": form, "record": member, "kind": "member"})


@require_http_methods(["GET", "POST"])
def reservist_status(request, pk):
    reservist = get_object_for_user(
        request, selectors.reservists_visible(user=request.user), pk=pk, write=True, perm="militia.change_reservist"
    )
    if reservist.status != ReservistStatus.ACTIVE:
        messages.info(request, _("This reservist is no longer active."))
        return redirect("militia:reservist_detail", pk=reservist.pk)
    form = ReservistStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reservist_set_status(
                user=request.user,
                reservist=reservist,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                left_on=form.cleaned_data["left_on"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("militia:reservist_detail", pk=reservist.pk)
    return render(request, "militia/confirm_end.html", {"form": form, "record": reservist, "kind": "reservist"})


def reserve_units(request):
    units = selectors.reserve_placement_by_unit(user=request.user)
    scope = get_scope(request.user)
    context = {
        "units": units,
        "match_rates": selectors.reserve_match_rate_by_category(user=request.user),
        # A commune officer sees the district's units but counts only their commune's reservists: say so.
        "own_reservists_only": any(not scope.can_read_path(entry["unit"].district.path) for entry in units),
    }
    return render(request, "militia/reserve_units.html", context)


# --- Militia duty: registration (Law 48/2019 art. 9), deferment and exemption (art. 11) -----------------


def duty_list(request):
    form = DutyRecordFilterForm(request.GET or None)
    records = form.apply(selectors.duty_records_visible(user=request.user))
    units = scope_units(get_scope(request.user))
    page = CountCachedPaginator(records, settings.PAGE_SIZE, units=units).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "can_edit": access.can_record_duty(request.user),
    }
    return render(request, "militia/duty_list.html", context)


@require_http_methods(["GET", "POST"])
@role_required(access.can_record_duty)
def duty_create(request):
    user = request.user
    initial = {}
    preset = request.GET.get("person")
    chosen = None
    if preset and preset.isdigit():
        chosen = Person.objects.visible_to(user).filter(pk=int(preset)).first()
        if chosen is not None:
            initial["person_id"] = chosen.pk
    form = DutyRecordForm(request.POST or None, initial=initial, communes=_editable_communes(user))
    if request.method == "POST" and form.is_valid():
        person = form.resolve_person(user)
        if person is None and not form.errors:
            form.add_error("person_national_id", _("Give the national ID of a person in the registry."))
        if not form.errors:
            fields = {k: v for k, v in form.cleaned_data.items() if k not in ("person_id", "person_national_id")}
            try:
                services.duty_record_create(user=user, person=person, **fields)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("The militia duty record has been saved."))
                return redirect("militia:duty_list")
    return render(request, "militia/duty_form.html", {"form": form, "chosen": chosen})
