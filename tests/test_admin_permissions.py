"""The admin's permission matrix: a district officer of the first district, in every admin registered,
can neither see, pick, change nor delete the records of a second district, deletes nothing their role
does not allow, and still adds and changes their own records."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from militia.models import MilitiaDutyRecord, MilitiaMember, ReservePost
from people.models import Person
from recruitment.models import DeferralGround, ListPosting, Quota, RegistrationExclusion, StageChange
from reports.models import IssuingBody, Report, ReportStatus, Target, TargetIndicator
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    QuotaFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
    activity_records,
    make_user_with_role,
    militia_force_type,
    restructuring_of,
)
from units.admin import ScopedAdminMixin
from units.models import DisadvantagedPeriod, Officeholder
from units.roles import Role

# Each scoped model and the key of its record in the `ours` / `theirs` dictionaries.
SCOPED = {
    "units.unit": "commune",
    "units.disadvantagedperiod": "disadvantaged",
    "units.restructuring": "restructuring",
    "units.officeholder": "officeholder",
    "people.person": "person",
    "militia.militiamember": "member",
    "militia.reservist": "reservist",
    "militia.reserveunit": "reserve_unit",
    "militia.reservepost": "post",
    "militia.militiadutyrecord": "duty_record",
    "recruitment.campaign": "campaign",
    "recruitment.quota": "quota",
    "recruitment.candidate": "candidate",
    "recruitment.stagechange": "stage_change",
    "recruitment.listposting": "posting",
    "recruitment.registrationexclusion": "exclusion",
    "reports.target": "target",
    "reports.issuingbody": "issuing_body",
    "reports.report": "report",
    "activities.dutylog": "duty_log",
    "activities.training": "training",
    "activities.educationcourse": "education_course",
    "activities.policyfamily": "policy_family",
    "activities.policyvisit": "policy_visit",
    "activities.workday": "work_day",
    "agenda.event": "event",
}


def _label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


REGISTERED = sorted(_label(model) for model in admin.site._registry)


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def staff(tree):
    return make_user_with_role("trolyhuyen", tree["district"], Role.DISTRICT_OFFICER, is_staff=True)


@pytest.fixture
def theirs(other_district):
    return other_district


@pytest.fixture
def ours(tree, other_district):
    """One record of every scoped kind in Bảo Lâm (the period of `other_district` opened ours too)."""
    hamlet = tree["vq_hamlet"]
    reserve_unit = ReserveUnitFactory(name="Đại đội dự bị Bảo Lâm", district=tree["district"])
    campaign = CampaignFactory(district=tree["district"])
    candidate = CandidateFactory(
        person=PersonFactory(full_name="Hoàng Văn Páo", home_unit=hamlet, birth_date=datetime.date(2006, 6, 1)),
        campaign=campaign,
    )
    return {
        "commune": tree["vinh_quang"],
        "disadvantaged": DisadvantagedPeriod.objects.create(
            unit=tree["vinh_quang"], start=datetime.date(2021, 6, 4), legal_ground="Quyết định 861/QĐ-TTg"
        ),
        "person": PersonFactory(full_name="Nguyễn Văn Đức", home_unit=hamlet),
        "member": MilitiaMemberFactory(person=PersonFactory(full_name="Lý Văn Sình", home_unit=hamlet)),
        "reservist": ReservistFactory(person=PersonFactory(full_name="Hoàng Văn Thắng", home_unit=hamlet)),
        "reserve_unit": reserve_unit,
        "post": ReservePostFactory(reserve_unit=reserve_unit, title="Chiến sĩ Bảo Lâm"),
        "campaign": campaign,
        "quota": QuotaFactory(campaign=campaign, commune=tree["vinh_quang"]),
        "candidate": candidate,
        "stage_change": StageChange.objects.create(candidate=candidate, from_stage="", to_stage="registered"),
        "target": Target.objects.create(
            unit=tree["district"], year=2026, indicator=TargetIndicator.MILITIA_RATIO, value=Decimal("1.4")
        ),
        "issuing_body": IssuingBody.objects.create(unit=tree["vinh_quang"], name="BAN CHỈ HUY QUÂN SỰ XÃ VĨNH QUANG"),
        "officeholder": Officeholder.objects.create(
            unit=tree["vinh_quang"], office="commander", full_name="Lò Văn Ba", start=datetime.date(2024, 1, 1)
        ),
        "report": Report.objects.get(unit=tree["vinh_quang"], period=other_district["period"]),
        "posting": ListPosting.objects.create(
            campaign=campaign, commune=tree["vinh_quang"], kind="deferment", posted_on=datetime.date(2026, 11, 20)
        ),
        "duty_record": MilitiaDutyRecord.objects.create(
            person=PersonFactory(full_name="Lù Văn Chờ", home_unit=hamlet),
            unit=tree["vinh_quang"],
            kind="registration",
            recorded_on=datetime.date(2026, 4, 10),
        ),
        "exclusion": RegistrationExclusion.objects.create(
            campaign=campaign,
            person=PersonFactory(full_name="Lò Văn Dình", home_unit=hamlet),
            commune=tree["vinh_quang"],
            ground=DeferralGround.objects.filter(code__startswith="13.").order_by("code").first(),
        ),
        "restructuring": restructuring_of(tree["vinh_quang"], tree["ly_bon"]),
        **activity_records(tree["vinh_quang"], "Bảo Lâm"),
    }


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def _may_view(user, label):
    app, model = label.split(".")
    return user.has_perm(f"{app}.view_{model}") or user.has_perm(f"{app}.change_{model}")


def _url(label, *parts):
    app, model = label.split(".")
    return "/".join(["", "admin", app, model, *[str(p) for p in parts], ""]).replace("//", "/")


def snapshot():
    """Every row of every scoped model: a refused request leaves it as it was."""
    return {label: list(_model(label)._base_manager.order_by("pk").values()) for label in SCOPED}


def _scoped_choice_fields(form):
    for name, field in form.fields.items():
        if name == form._meta.model._meta.pk.name:
            continue  # an inline row's own key: the row is looked up among the parent's rows
        if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
            label = _label(field.queryset.model)
            if label in SCOPED:
                yield name, field, label


def posted(response):
    """The POST data of an admin change form as the browser would send it back, unchanged."""
    data = {}
    forms_ = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        forms_ += formset.initial_forms
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
    for form in forms_:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, datetime.date):
                data[key] = value.strftime("%d/%m/%Y")
            else:
                data[key] = str(value)
    return data


def test_every_scoped_model_registered_is_in_the_matrix():
    scoped = {_label(m) for m, model_admin in admin.site._registry.items() if hasattr(m, "scope_path_field")}
    assert scoped == set(SCOPED)
    for model, model_admin in admin.site._registry.items():
        if _label(model) in SCOPED:
            assert isinstance(model_admin, ScopedAdminMixin), model


@pytest.mark.parametrize("label", sorted(SCOPED))
def test_another_districts_record_is_neither_listed_nor_opened(client, staff, ours, theirs, label):
    client.force_login(staff)
    other = theirs[SCOPED[label]]
    response = client.get(_url(label))
    if not _may_view(staff, label):
        assert response.status_code == 403
        assert client.get(_url(label, other.pk, "change")).status_code in (302, 403)
        return
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert ours[SCOPED[label]].pk in listed
    assert other.pk not in listed
    response = client.get(_url(label, other.pk, "change"))
    assert (response.status_code, response.url) == (302, "/admin/")


@pytest.mark.parametrize("label", sorted(SCOPED))
def test_another_districts_record_is_not_changed(client, staff, ours, theirs, label):
    """The own record's form, posted at the other district's record: refused, nothing changes."""
    client.force_login(staff)
    own = client.get(_url(label, ours[SCOPED[label]].pk, "change"))
    assert own.status_code == (200 if _may_view(staff, label) else 403)
    data = posted(own) if own.status_code == 200 else {}
    before = snapshot()
    response = client.post(_url(label, theirs[SCOPED[label]].pk, "change"), data)
    assert response.status_code in (302, 403)
    assert snapshot() == before


@pytest.mark.parametrize("label", sorted(SCOPED))
@pytest.mark.parametrize("whose", ["ours", "theirs"])
def test_the_officer_deletes_nothing(client, staff, ours, theirs, label, whose):
    """The role has no delete permission: neither one by one nor with the action, in scope or out."""
    client.force_login(staff)
    target = {"ours": ours, "theirs": theirs}[whose][SCOPED[label]]
    before = snapshot()
    response = client.get(_url(label, target.pk, "delete"))
    assert response.status_code in (302, 403)
    response = client.post(_url(label, target.pk, "delete"), {"post": "yes"})
    assert response.status_code in (302, 403)
    response = client.post(
        _url(label),
        {"action": "delete_selected", "_selected_action": [ours[SCOPED[label]].pk, target.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert snapshot() == before


@pytest.mark.parametrize("label", REGISTERED)
def test_no_action_touches_another_district(client, staff, ours, theirs, label):
    """Every action the officer is offered, run on a selection holding the other district's record."""
    client.force_login(staff)
    model = _model(label)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get(_url(label))
    request.user = staff
    actions = list(model_admin.get_actions(request)) if model_admin.has_view_or_change_permission(request) else []
    assert "delete_selected" not in actions
    selected = [theirs[SCOPED[label]].pk, ours[SCOPED[label]].pk] if label in SCOPED else []
    for action in actions:
        before = snapshot()
        client.post(_url(label), {"action": action, "_selected_action": selected, "post": "yes"})
        if label in SCOPED:
            assert snapshot()[label] == before[label], action


def _form_pages(client, label, ours):
    """The add form (when the role may add) and the own record's change form (when it may change)."""
    pages = []
    response = client.get(_url(label, "add"))
    if response.status_code == 200:
        pages.append(response)
    if label in SCOPED:
        response = client.get(_url(label, ours[SCOPED[label]].pk, "change"))
        assert response.status_code == (200 if _may_view(client.session_user, label) else 403)
        if response.status_code == 200:
            pages.append(response)
    return pages


@pytest.mark.parametrize("label", REGISTERED)
def test_every_choice_of_every_form_keeps_to_the_district(client, staff, ours, theirs, label):
    """Every foreign key and many-to-many of every admin form, inlines included, offers the officer's
    records and never the other district's: a posted key of theirs is a form error."""
    client.force_login(staff)
    client.session_user = staff
    for page in _form_pages(client, label, ours):
        forms_ = [page.context["adminform"].form]
        for inline in page.context["inline_admin_formsets"]:
            forms_ += [inline.formset.empty_form, *inline.formset.forms]
        for form in forms_:
            for name, field, choice_label in _scoped_choice_fields(form):
                choices = set(field.queryset.values_list("pk", flat=True))
                assert theirs[SCOPED[choice_label]].pk not in choices, (label, name)
                other = theirs[SCOPED[choice_label]].pk
                with pytest.raises(forms.ValidationError):
                    field.clean([other] if isinstance(field, forms.ModelMultipleChoiceField) else other)


def _autocomplete_fields():
    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    fields = []
    for model, model_admin in admin.site._registry.items():
        for owner in [model_admin, *[inline(model, admin.site) for inline in model_admin.inlines]]:
            for name in owner.get_autocomplete_fields(request):
                remote = owner.model._meta.get_field(name).related_model
                if _label(remote) in SCOPED:
                    fields.append((_label(owner.model), name, _label(remote)))
    return sorted(set(fields))


@pytest.mark.parametrize(("source", "field", "remote"), _autocomplete_fields())
def test_autocomplete_lists_only_what_the_field_accepts(client, staff, ours, theirs, source, field, remote):
    client.force_login(staff)
    app_label, model_name = source.split(".")
    response = client.get(
        "/admin/autocomplete/", {"app_label": app_label, "model_name": model_name, "field_name": field, "term": ""}
    )
    if response.status_code == 403:  # the role may not use the form that has this field
        return
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert theirs[SCOPED[remote]].pk not in ids
    assert ours[SCOPED[remote]].pk in ids


# --- The requests of the review, refused; the same within the district, accepted --------------------


def member_data(person, unit):
    return {
        "person": person.pk,
        "unit": unit.pk,
        "force_type": militia_force_type("tai_cho").pk,
        "position": "soldier",
        "joined_on": (datetime.date.today() - datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
        "extension_years": "0",
        "status": "active",
    }


def test_a_member_of_another_districts_person_is_refused(client, staff, ours, theirs, tree):
    client.force_login(staff)
    before = snapshot()
    response = client.post(_url("militia.militiamember", "add"), member_data(theirs["person"], tree["vinh_quang"]))
    assert response.status_code == 200
    assert "person" in response.context["adminform"].form.errors
    assert snapshot() == before
    response = client.post(_url("militia.militiamember", "add"), member_data(ours["person"], tree["vinh_quang"]))
    assert response.status_code == 302
    assert MilitiaMember.objects.filter(person=ours["person"]).exists()


def test_a_quota_of_another_districts_campaign_is_refused(client, staff, ours, theirs, tree):
    client.force_login(staff)
    before = snapshot()
    data = {"campaign": theirs["campaign"].pk, "commune": tree["ly_bon"].pk, "count": "3"}
    response = client.post(_url("recruitment.quota", "add"), data)
    assert response.status_code == 200
    assert "campaign" in response.context["adminform"].form.errors
    assert snapshot() == before
    response = client.post(_url("recruitment.quota", "add"), {**data, "campaign": ours["campaign"].pk})
    assert response.status_code == 302
    assert Quota.objects.get(commune=tree["ly_bon"]).count == 3


def test_a_post_of_another_districts_reserve_unit_is_refused(client, staff, ours, theirs):
    client.force_login(staff)
    before = snapshot()
    data = {"reserve_unit": theirs["reserve_unit"].pk, "title": "Lái xe", "specialty_code": "LX-01"}
    data |= {"required_count": "4", "margin_percent": "10"}
    response = client.post(_url("militia.reservepost", "add"), data)
    assert response.status_code == 200
    assert "reserve_unit" in response.context["adminform"].form.errors
    assert snapshot() == before
    response = client.post(_url("militia.reservepost", "add"), {**data, "reserve_unit": ours["reserve_unit"].pk})
    assert response.status_code == 302
    assert ReservePost.objects.get(title="Lái xe").reserve_unit == ours["reserve_unit"]


def test_a_candidate_in_another_districts_campaign_is_refused(client, staff, ours, theirs, tree):
    client.force_login(staff)
    person = ours["person"]
    data = {"person": person.pk, "campaign": theirs["campaign"].pk, "commune": tree["vinh_quang"].pk}
    data |= {"education": "9"}
    before = snapshot()
    response = client.post(_url("recruitment.candidate", "add"), data)
    assert response.status_code == 200
    assert "campaign" in response.context["adminform"].form.errors
    assert snapshot() == before


def test_a_campaigns_quota_row_for_another_districts_commune_is_refused(client, staff, ours, theirs):
    client.force_login(staff)
    page = client.get(_url("recruitment.campaign", ours["campaign"].pk, "change"))
    data = posted(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data |= {f"{prefix}-TOTAL_FORMS": total + 1, f"{prefix}-{total}-commune": theirs["commune"].pk}
    data |= {f"{prefix}-{total}-count": "2"}
    before = snapshot()
    response = client.post(_url("recruitment.campaign", ours["campaign"].pk, "change"), data)
    assert response.status_code == 200
    assert snapshot() == before
    assert not Quota.objects.filter(commune=theirs["commune"], campaign=ours["campaign"]).exists()


def test_the_officer_still_changes_own_records(client, staff, ours):
    client.force_login(staff)
    person = ours["person"]
    data = posted(client.get(_url("people.person", person.pk, "change")))
    response = client.post(_url("people.person", person.pk, "change"), {**data, "occupation": "Làm ruộng"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.occupation == "Làm ruộng"


# --- Records the law keeps; approved reports -------------------------------------------------------


@pytest.mark.parametrize(
    "label", ["people.person", "militia.militiamember", "militia.reservist", "recruitment.candidate"]
)
def test_a_kept_record_says_to_end_it_rather_than_delete_it(client, staff, ours, label):
    client.force_login(staff)
    response = client.get(_url(label, ours[SCOPED[label]].pk, "change"))
    body = response.content.decode()
    assert "This record must be kept: end it or change its status instead of deleting it" in body
    assert f"{ours[SCOPED[label]].pk}/delete/" not in body


def test_even_a_role_with_delete_permission_does_not_delete_a_kept_record(client, staff, ours):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["delete_person", "delete_quota"]))
    client.force_login(staff)
    response = client.post(_url("people.person", ours["person"].pk, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert Person.objects.filter(pk=ours["person"].pk).exists()
    # A record that is not kept is deleted by a role that may, within its scope.
    response = client.post(_url("recruitment.quota", ours["quota"].pk, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Quota.objects.filter(pk=ours["quota"].pk).exists()


@pytest.fixture
def approved(ours, tree):
    report = ours["report"]
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.APPROVED, signer_name="Nông Văn Lìn", signer_title="CHỈ HUY TRƯỞNG", recipients="- Lưu"
    )
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_an_approved_report_is_read_only_in_the_admin(client, staff, superuser, approved, who):
    client.force_login({"staff": staff, "superuser": superuser}[who])
    url = _url("reports.report", approved.pk, "change")
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "This report is approved and can no longer be changed" in body
    assert 'name="signer_name"' not in body
    assert 'name="recipients"' not in body
    response = client.post(url, {"signer_name": "Người Khác", "signer_title": "X", "recipients": "- Y"})
    assert response.status_code == 403
    approved.refresh_from_db()
    assert (approved.signer_name, approved.signer_title, approved.recipients) == (
        "Nông Văn Lìn",
        "CHỈ HUY TRƯỞNG",
        "- Lưu",
    )


def test_a_draft_report_signer_may_still_be_set(client, staff, ours):
    client.force_login(staff)
    report = ours["report"]
    url = _url("reports.report", report.pk, "change")
    data = posted(client.get(url))
    response = client.post(url, {**data, "signer_name": "Nông Văn Lìn"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.signer_name == "Nông Văn Lìn"


def test_a_commander_may_not_open_periods_from_the_admin(client, tree, other_district):
    from reports.models import Period

    commander = make_user_with_role("chihuy", tree["district"], Role.COMMANDER, is_staff=True)
    client.force_login(commander)
    period = Period.objects.create(
        kind="year",
        year=2025,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        due_date=datetime.date(2025, 12, 15),
    )
    page = client.get(_url("reports.period"))
    assert page.status_code == 200
    action_form = page.context["action_form"]  # None when the page offers no action at all
    assert action_form is None or "open_periods" not in dict(action_form.fields["action"].choices)
    reports = Report.objects.count()
    client.post(_url("reports.period"), {"action": "open_periods", "_selected_action": [period.pk]})
    assert Report.objects.count() == reports


def _period_post(client, period, **changes):
    url = _url("reports.period", period.pk, "change")
    page = client.get(url)
    assert page.status_code == 200
    if "adminform" not in page.context or not page.context["has_change_permission"]:
        data = {
            "kind": period.kind,
            "year": period.year,
            "number": period.number,
            "start": period.start.strftime("%d/%m/%Y"),
            "end": period.end.strftime("%d/%m/%Y"),
            "due_date": period.due_date.strftime("%d/%m/%Y"),
        }
    else:
        data = posted(page)
    return page, client.post(url, {**data, **changes})


@pytest.mark.parametrize("whose", ["first", "second"])
def test_a_district_officer_may_not_move_a_shared_periods_dates(client, staff, tree, other_district, whose):
    """The 2024 period has reports in both districts: neither district's officer changes its dates."""
    from reports.models import Period

    officer = {
        "first": staff,
        "second": make_user_with_role("trolymeovac", other_district["district"], Role.DISTRICT_OFFICER, is_staff=True),
    }[whose]
    period = other_district["period"]
    assert Report.objects.filter(period=period, unit=tree["vinh_quang"]).exists()
    client.force_login(officer)
    page, response = _period_post(client, period, due_date="31/01/2025", end="30/12/2024")
    body = page.content.decode()
    assert "only a system administrator may change its dates" in body
    assert 'name="due_date"' not in body
    assert response.status_code == 403
    stored = Period.objects.get(pk=period.pk)
    assert (stored.end, stored.due_date) == (datetime.date(2024, 12, 31), datetime.date(2024, 12, 15))
    # Opening it for their own units is still theirs to do.
    listing = client.get(_url("reports.period"))
    assert "open_periods" in dict(listing.context["action_form"].fields["action"].choices)


@pytest.mark.parametrize("who", ["superuser", "granted"])
def test_a_system_administrator_or_a_granted_user_moves_the_due_date(client, staff, superuser, other_district, who):
    from django.contrib.auth.models import Permission

    from reports.models import Period

    if who == "granted":
        staff.user_permissions.add(Permission.objects.get(codename="change_period_dates"))
    client.force_login({"superuser": superuser, "granted": staff}[who])
    period = other_district["period"]
    page, response = _period_post(client, period, due_date="31/01/2025")
    assert "only a system administrator may change its dates" not in page.content.decode()
    assert response.status_code == 302
    assert Period.objects.get(pk=period.pk).due_date == datetime.date(2025, 1, 31)


def test_a_period_without_reports_is_still_corrected_by_the_officer(client, staff, tree):
    from reports.models import Period

    period = Period.objects.create(
        kind="year",
        year=2025,
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 12, 31),
        due_date=datetime.date(2025, 12, 15),
    )
    client.force_login(staff)
    _page, response = _period_post(client, period, due_date="20/12/2025")
    assert response.status_code == 302
    assert Period.objects.get(pk=period.pk).due_date == datetime.date(2025, 12, 20)
