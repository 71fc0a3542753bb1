"""Pages of military-service recruitment: campaigns, quotas, candidates and their stage changes."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from people.forms import PersonForm
from people.models import Person
from people.widgets import lighten_filter_selects
from units.forms import attach_errors
from units.freshness import scope_units
from units.models import Unit
from units.paging import CountCachedPaginator
from units.scoping import can_write, get_object_for_user, get_scope
from units.selectors import disadvantaged_on, home_units_editable

from . import access, io, rules, selectors, services
from .forms import (
    CampaignForm,
    CandidateFilterForm,
    CandidateReviewForm,
    CloseForm,
    ConfirmForm,
    ListPostingForm,
    QuotaSplitForm,
    RegisterCandidateForm,
    StageChangeForm,
)
from .models import Campaign, CampaignStatus, Candidate, ListPosting, Quota, Stage
from .rules import allowed_transitions

# Stages at which the page lists what would stop an approval.
CHECKED_STAGES = (Stage.EXAMINED, Stage.RESERVE_LIST)


def _campaign(request, pk, *, write=False):
    perm = "recruitment.change_campaign" if write else None
    return get_object_for_user(request, selectors.campaigns_visible(user=request.user), pk=pk, write=write, perm=perm)


def _can_manage(user, campaign):
    return can_write(user, campaign, Campaign.scope_path_field, perm="recruitment.change_campaign")


def _errors(exc):
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


def index(request):
    """The campaigns of the user's districts, newest first."""
    user = request.user
    campaigns = list(selectors.campaigns_visible(user=user))
    districts = Unit.objects.editable_by(user).filter(kind__is_commune_level=False, kind__code="district")
    can_create = user.has_perm("recruitment.add_campaign") and districts.exists()
    return render(request, "recruitment/index.html", {"campaigns": campaigns, "can_create": can_create})


def _districts(user):
    return Unit.objects.editable_by(user).current().filter(kind__code="district").order_by("name")


@require_http_methods(["GET", "POST"])
def campaign_create(request):
    user = request.user
    if not user.has_perm("recruitment.add_campaign") or not _districts(user).exists():
        raise PermissionDenied(_("Your role may not plan campaigns."))
    today = timezone.localdate()
    form = CampaignForm(request.POST or None, districts=_districts(user), initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(user=user, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The campaign has been created: split the quota among the communes."))
            return redirect("recruitment:quota_edit", pk=campaign.pk)
    return render(request, "recruitment/campaign_form.html", {"form": form})


def campaign_detail(request, pk):
    """Per commune: quota, stages, approved, handed over, rate and shortfall; funnel and mixes."""
    campaign = _campaign(request, pk)
    user = request.user
    can_manage = _can_manage(user, campaign)

    context = {
        "campaign": campaign,
        **selectors.campaign_page_figures(campaign=campaign, user=user, can_manage=can_manage),
        "can_manage": can_manage,
        "can_edit": access.can_edit_candidates(user) and not campaign.is_closed,
        **_io_context(user, campaign),
    }
    if context["can_export"]:
        context["public_communes"] = selectors.campaign_communes(campaign=campaign, user=user)
        context["public_lists"] = [(key, io.LIST_TITLES[key]) for key in io.PUBLIC_LISTS]
    return render(request, "recruitment/campaign_detail.html", context)


def _io_context(user, campaign, *, export_query=None):
    """Which of the exchange links the user may see: register, import, export."""
    open_for_edit = access.can_edit_candidates(user) and not campaign.is_closed
    return {
        "can_register": open_for_edit and user.has_perm("recruitment.add_candidate"),
        "can_import": open_for_edit and access.can_import(user),
        "can_export": access.can_export(user),
        "export_query": export_query,
    }


@require_http_methods(["GET", "POST"])
def quota_edit(request, pk):
    campaign = _campaign(request, pk, write=True)
    if campaign.status != CampaignStatus.PLANNING:
        messages.info(request, _("Quotas are split while the campaign is being planned."))
        return redirect("recruitment:campaign_detail", pk=campaign.pk)
    communes = selectors.campaign_communes(campaign=campaign, user=request.user)
    quotas = {q.commune_id: q for q in Quota.objects.filter(campaign=campaign)}
    disadvantaged = disadvantaged_on(unit_ids=[c.pk for c in communes], on=campaign.handover_date)
    form = QuotaSplitForm(request.POST or None, communes=communes, quotas=quotas, disadvantaged=disadvantaged)
    if request.method == "POST" and form.is_valid():
        try:
            services.quotas_set(user=request.user, campaign=campaign, counts=form.values())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            difference = services.quota_difference(campaign)
            if difference:
                messages.warning(
                    request,
                    _("Quotas saved. They differ from the district quota by %(difference)+d.")
                    % {"difference": difference},
                )
            else:
                messages.success(request, _("Quotas saved. They add up to the district quota."))
            return redirect("recruitment:campaign_detail", pk=campaign.pk)
    total = sum(q.count for q in quotas.values())
    context = {"campaign": campaign, "form": form, "total": total, "difference": total - campaign.district_quota}
    return render(request, "recruitment/quota_form.html", context)


@require_http_methods(["GET", "POST"])
def campaign_open(request, pk):
    campaign = _campaign(request, pk, write=True)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_open(user=request.user, campaign=campaign)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The campaign is open."))
            return redirect("recruitment:campaign_detail", pk=campaign.pk)
    context = {"campaign": campaign, "form": form, "difference": services.quota_difference(campaign)}
    return render(request, "recruitment/campaign_open.html", context)


@require_http_methods(["GET", "POST"])
def campaign_close(request, pk):
    """Close the campaign; the page previews the carry-over into the campaign chosen."""
    campaign = _campaign(request, pk, write=True)
    if campaign.is_closed:
        messages.info(request, _("The campaign is already closed."))
        return redirect("recruitment:campaign_detail", pk=campaign.pk)
    targets = (
        Campaign.objects.filter(district=campaign.district, year__gt=campaign.year)
        .exclude(status=CampaignStatus.CLOSED)
        .select_related("district")
    )
    form = CloseForm(request.POST or None, targets=targets, initial={"carry_to": request.GET.get("carry_to")})
    target = None
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.campaign_close(user=request.user, campaign=campaign, carry_to=form.cleaned_data["carry_to"])
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if plan:
                messages.success(
                    request,
                    _("The campaign is closed; %(count)s candidates carried into %(year)s.")
                    % {"count": len(plan["created"]), "year": plan["to"].year},
                )
            else:
                messages.success(request, _("The campaign is closed."))
            return redirect("recruitment:campaign_detail", pk=campaign.pk)
    chosen = request.POST.get("carry_to") or request.GET.get("carry_to")
    if chosen and str(chosen).isascii() and str(chosen).isdigit():
        target = targets.filter(pk=chosen).first()
    plan = None
    if target is not None:
        plan = services.campaign_carry_over_preview(from_campaign=campaign, to_campaign=target, user=request.user)
    return render(
        request,
        "recruitment/campaign_close.html",
        {"campaign": campaign, "form": form, "plan": plan, "targets": targets},
    )


def _list_query(request):
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return query.urlencode(), sort_query.urlencode()


LIST_RELATIONS = ("person", "person__ethnicity", "commune", "ground")


def candidate_list(request, pk):
    campaign = _campaign(request, pk)
    user = request.user
    communes = selectors.campaign_communes(campaign=campaign, user=user)
    form = CandidateFilterForm(request.GET, communes=communes)
    lighten_filter_selects(form)
    # Only the relations the table shows: fewer joins to plan and read on every page of the list.
    visible = selectors.candidates_visible(user=user).select_related(None).select_related(*LIST_RELATIONS)
    queryset = form.apply(visible.filter(campaign=campaign), campaign=campaign)
    sort = request.GET.get("sort", "name")
    units = scope_units(get_scope(user), within=campaign.district)
    page = CountCachedPaginator(selectors.sorted_by(queryset, sort), settings.PAGE_SIZE, units=units).get_page(
        request.GET.get("page")
    )
    query, sort_query = _list_query(request)
    can_edit = access.can_edit_candidates(user) and not campaign.is_closed
    context = {
        "campaign": campaign,
        "form": form,
        "page": page,
        "sort": sort,
        "query": query,
        "sort_query": sort_query,
        "can_edit": can_edit,
        "bulk_form": (
            StageChangeForm(prefix="bulk", from_stages={c.stage for c in page.object_list}) if can_edit else None
        ),
        **_io_context(user, campaign, export_query=query),
    }
    return render(request, "recruitment/candidate_list.html", context)


@require_POST
def candidate_bulk_stage(request, pk):
    """The same stage change for the candidates ticked in the list; all or nothing."""
    access.can_edit_candidates.require(request)
    campaign = _campaign(request, pk)
    user = request.user
    ids = [int(v) for v in request.POST.getlist("ids") if v.isascii() and v.isdigit()]
    back = request.POST.get("next") or ""
    target = back if back.startswith("/recruitment/") else None
    form = StageChangeForm(
        request.POST, prefix="bulk", can_confirm_over_quota=services.is_district_officer(user, campaign)
    )
    if not ids:
        messages.error(request, _("Tick the candidates to change first."))
    elif not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        # The class typed on a row, digits 0–9 only like every number typed.
        health = {}
        for pk in ids:
            value = request.POST.get(f"hc_{pk}", "")
            if value.isascii() and value.isdigit():
                health[pk] = int(value)
        kwargs = form.service_kwargs()
        try:
            changed = services.candidates_change_stage_selected(
                user=user, campaign=campaign, ids=ids, health_classes=health, **kwargs
            )
        except services.BulkStageChangeError as exc:
            messages.error(request, exc.messages[0])
            for error in exc.errors:
                messages.error(request, f"{error['candidate'].person.full_name}: {' '.join(error['messages'])}")
        else:
            reserve = sum(
                1 for c in changed if c.stage == Stage.RESERVE_LIST and kwargs["to_stage"] != Stage.RESERVE_LIST
            )
            messages.success(request, _("%(count)s candidates changed.") % {"count": len(changed)})
            if reserve:
                messages.warning(
                    request, _("%(count)s went to the reserve list: the quota is filled.") % {"count": reserve}
                )
    return redirect(target or "recruitment:candidate_list", **({} if target else {"pk": campaign.pk}))


def _candidate_context(request, candidate, *, form=None, review_form=None, can_edit=None):
    user = request.user
    campaign = candidate.campaign
    if can_edit is None:
        can_edit = (
            can_write(user, candidate, Candidate.scope_path_field, perm="recruitment.change_candidate")
            and not campaign.is_closed
        )
    if form is None and can_edit and allowed_transitions(candidate.stage):
        form = StageChangeForm(
            from_stage=candidate.stage,
            can_confirm_over_quota=services.is_district_officer(user, campaign),
        )
    if review_form is None and can_edit:
        review_form = CandidateReviewForm.for_candidate(candidate)
    postings = [
        {"posting": p, "ends_on": rules.posting_ends_on(posted_on=p.posted_on)}
        for p in ListPosting.objects.filter(campaign=campaign, commune_id=candidate.commune_id)
    ]
    return {
        "candidate": candidate,
        "changes": selectors.stage_history(candidate),
        "form": form,
        "review_form": review_form,
        "can_edit": can_edit,
        "age_at_handover": candidate.person.age_on(campaign.handover_date),
        "problems": services.eligibility_errors(candidate) if candidate.stage in CHECKED_STAGES else None,
        "authority": rules.deciding_authority(campaign.handover_date),
        "postings": postings,
    }


def candidate_detail(request, pk):
    candidate = get_object_for_user(request, selectors.candidates_visible(user=request.user), pk=pk)
    return render(request, "recruitment/candidate_detail.html", _candidate_context(request, candidate))


def _candidate_for_write(request, pk):
    return get_object_for_user(
        request,
        selectors.candidates_visible(user=request.user),
        pk=pk,
        write=True,
        perm="recruitment.change_candidate",
    )


@require_POST
def candidate_stage(request, pk):
    candidate = _candidate_for_write(request, pk)
    user = request.user
    form = StageChangeForm(
        request.POST,
        from_stage=candidate.stage,
        can_confirm_over_quota=services.is_district_officer(user, candidate.campaign),
    )
    if form.is_valid():
        try:
            kwargs = form.service_kwargs()
            services.candidate_change_stage(candidate=candidate, user=user, **kwargs)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if kwargs["to_stage"] == Stage.APPROVED and candidate.stage == Stage.RESERVE_LIST:
                messages.warning(request, _("The commune's quota is filled: the candidate is on the reserve list."))
            else:
                messages.success(request, _("The stage has been changed."))
            for warning in getattr(candidate, "warnings", []):
                messages.warning(request, warning)
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
    candidate.refresh_from_db()
    context = _candidate_context(request, candidate, form=form, can_edit=True)
    return render(request, "recruitment/candidate_detail.html", context, status=400)


@require_POST
def candidate_review(request, pk):
    """Record the examination findings, the political verification and the approval of grade 7."""
    candidate = _candidate_for_write(request, pk)
    form = CandidateReviewForm(request.POST, prefix="review")
    if form.is_valid():
        try:
            services.candidate_record_review(user=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("The examination and verification records have been saved."))
            return redirect("recruitment:candidate_detail", pk=candidate.pk)
    candidate.refresh_from_db()
    context = _candidate_context(request, candidate, review_form=form, can_edit=True)
    return render(request, "recruitment/candidate_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def campaign_postings(request, pk):
    """When each commune posted its deferment, exemption and call-up lists, and until when (20 days)."""
    campaign = _campaign(request, pk)
    user = request.user
    communes = selectors.campaign_communes(campaign=campaign, user=user)
    writable = [c for c in communes if get_scope(user).can_write_path(c.path)]
    can_record = access.can_edit_candidates(user) and not campaign.is_closed and bool(writable)
    form = None
    if can_record:
        commune_qs = Unit.objects.filter(pk__in=[c.pk for c in writable]).order_by("name")
        form = ListPostingForm(request.POST or None, communes=commune_qs)
        if request.method == "POST" and form.is_valid():
            try:
                services.list_posting_record(user=user, campaign=campaign, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The posting has been recorded."))
                return redirect("recruitment:campaign_postings", pk=campaign.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Your role may not record postings."))
    today = timezone.localdate()
    rows = []
    visible = ListPosting.objects.visible_to(user).filter(campaign=campaign).select_related("commune")
    for posting in visible.order_by("commune__name", "kind"):
        ends_on = rules.posting_ends_on(posted_on=posting.posted_on)
        rows.append({"posting": posting, "ends_on": ends_on, "still_posted": today <= ends_on})
    context = {
        "campaign": campaign,
        "form": form,
        "rows": rows,
        "law": rules.provision("public_posting", today),
        "can_edit": can_record,
    }
    return render(request, "recruitment/campaign_postings.html", context, status=400 if form and form.errors else 200)


def _not_registered(request, campaign):
    """The people due to register who have not, of one commune (`?commune=`) or of all the user sees."""
    user = request.user
    due, professions = selectors.not_registered(campaign=campaign, user=user)
    communes = list(selectors.campaign_communes(campaign=campaign, user=user))
    chosen = next((c for c in communes if str(c.pk) == request.GET.get("commune", "")), None)
    if chosen is not None:
        due = due.filter(home_unit__path__startswith=chosen.path)
    return due, professions, communes, chosen


def not_registered(request, pk):
    """People of the campaign's communes who must have registered by its registration day and have not (Luật
    NVQS 2015 Điều 12, 16), paginated, with the Excel export."""
    campaign = _campaign(request, pk)
    user = request.user
    due, professions, communes, chosen = _not_registered(request, campaign)
    page = CountCachedPaginator(due, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.matching_profession = professions.get(person.pk, "")
    query, _sort_query = _list_query(request)
    context = {
        "campaign": campaign,
        "page": page,
        "communes": communes,
        "chosen": chosen,
        "query": query,
        "on": selectors.registration_day(campaign),
        "men_year": campaign.preparation_year - rules.FIRST_REGISTRATION_AGE,
        "can_export": access.can_export(user),
        "can_edit": access.can_edit_candidates(user) and not campaign.is_closed,
        "can_register": access.can_register_candidates(user) and not campaign.is_closed,
    }
    return render(request, "recruitment/not_registered.html", context)


@require_http_methods(["GET", "POST"])
def register_seventeen(request, pk):
    """The year's first registration, not yet done: men of the user's units turning 17 in the preparation year and
    women turning 18 in it with a profession the army needs (Luật NVQS 2015 Điều 12, 16); register them in one
    step."""
    access.can_register_candidates.require(request)
    campaign = _campaign(request, pk)
    user = request.user
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.candidate_register_seventeen(user=user, campaign=campaign)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("%(count)s people registered.") % {"count": len(created)})
            return redirect("recruitment:candidate_list", pk=campaign.pk)
    due, professions = selectors.first_registrations(campaign=campaign, user=user)
    people = list(due)
    for person in people:
        person.matching_profession = professions.get(person.pk, "")
    context = {
        "campaign": campaign,
        "form": form,
        "people": people,
        "men_year": campaign.preparation_year - rules.FIRST_REGISTRATION_AGE,
        "women_year": campaign.preparation_year - rules.FIRST_REGISTRATION_AGE - 1,
        "can_edit": True,
    }
    return render(request, "recruitment/register_seventeen.html", context)


@require_http_methods(["GET", "POST"])
def register_candidate(request, pk):
    """Register one person in the campaign: pick an existing person by national ID, or create one on the same
    page; both are written in one transaction, so a refused registration leaves no new person behind."""
    campaign = _campaign(request, pk)
    user = request.user
    if not access.can_register_candidates(user) or campaign.is_closed:
        raise PermissionDenied(_("Your role may not register candidates."))
    communes = [
        c for c in selectors.campaign_communes(campaign=campaign, user=user) if get_scope(user).can_write_path(c.path)
    ]
    commune_qs = Unit.objects.filter(pk__in=[c.pk for c in communes]).order_by("name")
    data = request.POST or None
    initial = {}
    preset = request.GET.get("person")
    if preset and preset.isdigit():
        initial["person_id"] = int(preset)
    form = RegisterCandidateForm(data, initial=initial, communes=commune_qs)
    person_form = PersonForm(data, prefix="p", user=user, home_units=home_units_editable(user=user), embedded=True)
    chosen = None
    if initial.get("person_id"):
        chosen = Person.objects.visible_to(user).filter(pk=initial["person_id"]).first()
    if chosen is not None and chosen.sex == "F" and not form.is_bound:
        # A woman picked from the lists: her occupation's entry of the list of professions, to confirm.
        form.initial["matching_profession"] = rules.listed_profession(chosen.occupation, on=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        person = form.resolve_person(user)
        new_person = person is None and not form.errors
        if new_person and not person_form.is_valid():
            form.add_error(None, _("Pick an existing person by national ID, or fill in the new person below."))
        elif not form.errors:
            try:
                candidate = services.candidate_register_person(
                    user=user,
                    campaign=campaign,
                    person=None if new_person else person,
                    new_person=(
                        {k: v for k, v in person_form.cleaned_data.items() if k != "confirm_duplicate"}
                        if new_person
                        else None
                    ),
                    commune=form.cleaned_data.get("commune"),
                    notes=form.cleaned_data.get("notes") or "",
                    matching_profession=form.cleaned_data.get("matching_profession") or "",
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("%(name)s has been registered.") % {"name": candidate.person.full_name})
                return redirect("recruitment:candidate_detail", pk=candidate.pk)
        chosen = None if new_person else person
    context = {
        "campaign": campaign,
        "form": form,
        "person_form": person_form,
        "chosen": chosen,
        "can_edit": True,
        # The list of professions the army needs among women in force today, offered as the field's suggestions.
        "professions": rules.women_professions(timezone.localdate()),
    }
    return render(request, "recruitment/register_candidate.html", context)
