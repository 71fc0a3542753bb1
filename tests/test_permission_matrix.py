"""The permission matrix: every URL pattern of the project, with the answer each kind of visitor gets.

Generated from the URL resolver: a new pattern without an entry here fails `test_every_url_is_in_the_matrix`.
Objects in URLs come from factories in two communes: the "own" column asks for Vĩnh Quang's object as each
role, the "cross" column asks for Lý Bôn's object as Vĩnh Quang's commune officer (it must not exist for
them: 404). Roles: anonymous, viewer and commune officer of Vĩnh Quang, district staff officer and
district commander of Bảo Lâm. A GET is what is checked; writes are refused the same way (the pages'
own tests post).
"""

import datetime
import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import Training
from reports import services
from reports.models import Report
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    QuotaFactory,
    ReservistFactory,
    UnitFactory,
    UserFactory,
    make_user_with_role,
)
from units.models import Officeholder
from units.roles import Role

pytestmark = pytest.mark.django_db

ROLES = ["anon", "viewer", "officer", "district_officer", "commander"]
# Patterns outside the matrix on purpose: Django's admin (its own permission system, tested in the
# apps' admin tests), the language switch (public, POST only) and static files.
EXCLUDED_PREFIXES = ("admin/",)
EXCLUDED_NAMES = {"set_language"}
PUBLIC = {"login", "logout", "healthz"}


def _r(anon, viewer, officer, district_officer, commander, cross=None):
    return dict(zip(ROLES + ["cross"], (anon, viewer, officer, district_officer, commander, cross), strict=True))


L = 302  # the login redirect for anonymous visitors (checked to lead to /login/)

# name: (kwargs builder key, expected answers[, "post" for views that only take a POST: an empty one])
MATRIX = {
    "home": (None, _r(L, 200, 200, 200, 200)),
    "dashboard_print": (None, _r(L, 200, 200, 200, 200)),
    "healthz": (None, _r(200, 200, 200, 200, 200)),
    "ping": (None, _r(L, 200, 200, 200, 200)),
    "login": (None, _r(200, 302, 302, 302, 302)),
    "logout": (None, _r(405, 405, 405, 405, 405)),
    "people:list": (None, _r(L, 200, 200, 200, 200)),
    "people:create": (None, _r(L, 403, 200, 200, 403)),
    "people:detail": ("person", _r(L, 200, 200, 200, 200, 404)),
    "people:export": (None, _r(L, 200, 200, 200, 200)),
    "people:print": (None, _r(L, 200, 200, 200, 200)),
    "people:export_csv": (None, _r(L, 200, 200, 200, 200)),
    "signers:list": (None, _r(L, 200, 200, 200, 200)),
    "signers:create": (None, _r(L, 403, 200, 200, 403)),
    "signers:update": ("officeholder", _r(L, 403, 200, 200, 403, 404)),
    "people:import": (None, _r(L, 403, 200, 200, 403)),
    "people:import_template": (None, _r(L, 403, 200, 200, 403)),
    # A token nobody uploaded: not found for whoever may import, refused to the others.
    "people:import_preview": ("people_token", _r(L, 403, 404, 404, 403)),
    "people:import_rejected": ("people_token", _r(L, 403, 404, 404, 403)),
    "people:update": ("person", _r(L, 403, 200, 200, 403, 404)),
    "militia:index": (None, _r(L, 200, 200, 200, 200)),
    "militia:member_list": (None, _r(L, 200, 200, 200, 200)),
    "militia:member_create": (None, _r(L, 403, 200, 200, 403)),
    "militia:member_detail": ("member", _r(L, 200, 200, 200, 200, 404)),
    "militia:member_update": ("member", _r(L, 403, 200, 200, 403, 404)),
    "militia:member_end": ("member", _r(L, 403, 200, 200, 403, 404)),
    "militia:duty_list": (None, _r(L, 200, 200, 200, 200)),
    "militia:duty_create": (None, _r(L, 403, 200, 200, 403)),
    "militia:reservist_list": (None, _r(L, 200, 200, 200, 200)),
    "militia:reservist_create": (None, _r(L, 403, 200, 200, 403)),
    "militia:reservist_detail": ("reservist", _r(L, 200, 200, 200, 200, 404)),
    "militia:reservist_update": ("reservist", _r(L, 403, 200, 200, 403, 404)),
    "militia:reservist_status": ("reservist", _r(L, 403, 200, 200, 403, 404)),
    "militia:reserve_units": (None, _r(L, 200, 200, 200, 200)),
    "militia:registers": (None, _r(L, 200, 200, 200, 200)),
    # A file made in the background is its owner's alone (here the commune officer's): others do not find it.
    "files:list": (None, _r(L, 200, 200, 200, 200)),
    "files:detail": ("job", _r(L, 404, 200, 404, 404, 404)),
    "files:download": ("job", _r(L, 404, 200, 404, 404, 404)),
    "militia:export": ("roster_export", _r(L, 200, 200, 200, 200)),
    "militia:import": ("roster", _r(L, 403, 200, 200, 403)),
    "militia:import_template": ("roster", _r(L, 403, 200, 200, 403)),
    "militia:import_preview": ("roster_token", _r(L, 403, 404, 404, 403)),
    "militia:import_rejected": ("roster_token", _r(L, 403, 404, 404, 403)),
    "recruitment:index": (None, _r(L, 200, 200, 200, 200)),
    "recruitment:campaign_create": (None, _r(L, 403, 403, 200, 403)),
    "recruitment:campaign_detail": ("campaign", _r(L, 200, 200, 200, 200, 404)),
    # An open campaign's quotas are fixed: the district officer is sent back to the campaign page.
    "recruitment:quota_edit": ("campaign", _r(L, 403, 403, 302, 403, 404)),
    "recruitment:campaign_open": ("campaign", _r(L, 403, 403, 200, 403, 404)),
    "recruitment:campaign_close": ("campaign", _r(L, 403, 403, 200, 403, 404)),
    "recruitment:candidate_list": ("campaign", _r(L, 200, 200, 200, 200, 404)),
    "recruitment:candidate_bulk_stage": ("campaign", _r(L, 403, 302, 302, 403, 404), "post"),
    "recruitment:register_seventeen": ("campaign", _r(L, 403, 200, 200, 403, 404)),
    "recruitment:register_candidate": ("campaign", _r(L, 403, 200, 200, 403, 404)),
    "recruitment:candidate_export": ("campaign_export", _r(L, 200, 200, 200, 200, 404)),
    "recruitment:public_list_export": ("campaign_list", _r(L, 200, 200, 200, 200, 404)),
    "recruitment:import": ("campaign_import", _r(L, 403, 200, 200, 403, 404)),
    "recruitment:import_template": ("campaign_import", _r(L, 403, 200, 200, 403, 404)),
    "recruitment:import_preview": ("campaign_token", _r(L, 403, 404, 404, 403, 404)),
    "recruitment:import_rejected": ("campaign_token", _r(L, 403, 404, 404, 403, 404)),
    "recruitment:candidate_detail": ("candidate", _r(L, 200, 200, 200, 200, 404)),
    "recruitment:candidate_stage": ("candidate", _r(L, 403, 400, 400, 403, 404), "post"),
    "recruitment:candidate_review": ("candidate", _r(L, 403, 302, 302, 403, 404), "post"),
    "recruitment:campaign_postings": ("campaign", _r(L, 200, 200, 200, 200, 404)),
    "recruitment:campaign_documents": ("campaign", _r(L, 200, 200, 200, 200, 404)),
    # An empty form is sent back to the documents page with its errors.
    "recruitment:document_make": ("campaign_document", _r(L, 302, 302, 302, 302, 404), "post"),
    "recruitment:not_registered": ("campaign", _r(L, 200, 200, 200, 200, 404)),
    "recruitment:not_registered_export": ("campaign_export", _r(L, 200, 200, 200, 200, 404)),
    "accounts:security": (None, _r(L, 200, 200, 200, 200)),
    "accounts:enrol": (None, _r(L, 405, 405, 405, 405)),
    "accounts:recovery_codes": (None, _r(L, 200, 200, 200, 200)),
    "accounts:recovery_codes_regenerate": (None, _r(L, 405, 405, 405, 405)),
    "accounts:disable": (None, _r(L, 302, 302, 302, 302)),
    "accounts:password_change": (None, _r(L, 200, 200, 200, 200)),
    "accounts:verify": (None, _r(L, 302, 302, 302, 302)),
    "activities:index": (None, _r(L, 200, 200, 200, 200)),
    "activities:list": ("activity_kind", _r(L, 200, 200, 200, 200)),
    "activities:export": ("activity_kind", _r(L, 200, 200, 200, 200)),
    "activities:create": ("activity_kind", _r(L, 403, 200, 200, 403)),
    "activities:detail": ("training", _r(L, 200, 200, 200, 200, 404)),
    "activities:update": ("training", _r(L, 403, 200, 200, 403, 404)),
    "agenda:calendar": (None, _r(L, 200, 200, 200, 200)),
    # Public: the token is the credential; an unknown one is a 404 for everybody.
    "agenda:feed": ("feed_token", _r(404, 404, 404, 404, 404)),
    "agenda:feed_revoke": (None, _r(L, 405, 405, 405, 405)),
    "agenda:notifications": (None, _r(L, 200, 200, 200, 200)),
    "agenda:notifications_read": (None, _r(L, 405, 405, 405, 405)),
    # Nobody's notification is anyone else's: another's (or none) is a 404.
    "agenda:notification_open": ("notification", _r(L, 404, 404, 404, 404)),
    "agenda:preference": (None, _r(L, 405, 405, 405, 405)),
    "reports:index": (None, _r(L, 200, 200, 200, 200)),
    "reports:inbox": (None, _r(L, 200, 200, 200, 200)),
    "reports:period_list": (None, _r(L, 200, 200, 200, 200)),
    "reports:period_create": (None, _r(L, 403, 403, 200, 403)),
    "reports:period_detail": ("period", _r(L, 200, 200, 200, 200)),
    "reports:period_values_xlsx": ("period", _r(L, 403, 200, 200, 200)),
    "reports:report_docx": ("report", _r(L, 403, 200, 200, 200, 404)),
    "reports:report_pdf": ("report", _r(L, 403, 200, 200, 200, 404)),
    "reports:report_print": ("report", _r(L, 403, 200, 200, 200, 404)),
    "reports:report_detail": ("report", _r(L, 200, 200, 200, 200, 404)),
    "reports:report_edit": ("report", _r(L, 403, 200, 200, 403, 404)),
    # An empty autosave (no version) is a bad request for those who may edit; the others never get that far.
    "reports:report_autosave": ("report", _r(L, 403, 400, 400, 403, 404), "post"),
    # The check lists what is missing: anyone who reads the report may see it; submitting is the action's job.
    "reports:report_check": ("report", _r(L, 200, 200, 200, 200, 404)),
    "reports:report_comment": ("report", _r(L, 302, 302, 302, 302, 404), "post"),
    "reports:report_action": ("report_submit", _r(L, 403, 200, 200, 403, 404)),
    "reorg:unit_list": (None, _r(L, 200, 200, 200, 200)),
    "reorg:unit_detail": ("unit", _r(L, 200, 200, 200, 200, 404)),
    # Only a district staff officer reorganises the units of the district.
    "reorg:restructure": ("unit_merge", _r(L, 403, 403, 200, 403, 404)),
    # The mergers the official data proposes: for those who may reorganise units.
    "reorg:official_proposals": (None, _r(L, 403, 403, 200, 403)),
}


def _patterns(resolver=None, prefix="", namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _patterns(entry, route, ns)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in EXCLUDED_NAMES:
            yield ":".join(filter(None, [namespace, entry.name])), route


def test_every_url_is_in_the_matrix():
    names = {name for name, _route in _patterns()}
    assert names - set(MATRIX) == set(), "add the new URL patterns to MATRIX"
    assert set(MATRIX) - names == set(), "remove the patterns that no longer exist"


@pytest.fixture
def world(tree):
    """The same records in both communes."""
    vq, lb = tree["vinh_quang"], tree["ly_bon"]
    campaign = CampaignFactory(district=tree["district"])
    QuotaFactory(campaign=campaign, commune=vq)
    QuotaFactory(campaign=campaign, commune=lb)
    # Campaigns belong to a district: the "cross" campaign is another district's.
    other_district = UnitFactory(kind_code="district", name="Bảo Lạc", code="043", parent=tree["province"])
    other_commune = UnitFactory(kind_code="commune", name="Cốc Pàng", code="01320", parent=other_district)
    other_campaign = CampaignFactory(district=other_district)
    QuotaFactory(campaign=other_campaign, commune=other_commune)
    objects = {}
    today = datetime.date(2026, 3, 26)
    for side, commune, hamlet in (("own", vq, tree["vq_hamlet"]), ("other", lb, tree["lb_hamlet"])):
        member = MilitiaMemberFactory(person__home_unit=hamlet, unit=commune)
        reservist = ReservistFactory(person__home_unit=hamlet, unit=commune)
        candidate = CandidateFactory(person__home_unit=hamlet, campaign=campaign)
        objects[side] = {
            "training": Training.objects.create(
                unit=commune, kind="militia", title="Huấn luyện", starts_on=today, ends_on=today
            ),
            "person": member.person,
            "member": member,
            "reservist": reservist,
            "candidate": candidate,
            "campaign": campaign,
            "unit": commune,
            "officeholder": Officeholder.objects.create(
                unit=commune, office="commander", full_name="Lò Văn Ba", start=datetime.date(2024, 1, 1)
            ),
        }
    objects["other"]["campaign"] = other_campaign
    period = services.period_create(kind="year", year=2024)
    services.period_open(period=period)
    for side, commune in (("own", vq), ("other", lb)):
        objects[side]["period"] = period
        objects[side]["report"] = Report.objects.get(period=period, unit=commune)
    return objects


def _kwargs(key, objects):
    if key is None:
        return {}
    token = "0123456789abcdef0123456789abcdef"
    builders = {
        "person": lambda o: {"pk": o["person"].pk},
        "member": lambda o: {"pk": o["member"].pk},
        "reservist": lambda o: {"pk": o["reservist"].pk},
        "candidate": lambda o: {"pk": o["candidate"].pk},
        "campaign": lambda o: {"pk": o["campaign"].pk},
        "period": lambda o: {"pk": o["period"].pk},
        "report": lambda o: {"pk": o["report"].pk},
        "activity_kind": lambda o: {"kind": "training"},
        "feed_token": lambda o: {"token": token},
        "notification": lambda o: {"pk": 987654},
        "training": lambda o: {"kind": "training", "pk": o["training"].pk},
        "report_submit": lambda o: {"pk": o["report"].pk, "action": "submit"},
        "unit": lambda o: {"pk": o["unit"].pk},
        "unit_merge": lambda o: {"pk": o["unit"].pk, "action": "merge"},
        "roster": lambda o: {"roster": "members"},
        "roster_export": lambda o: {"roster": "members", "fmt": "xlsx"},
        "roster_token": lambda o: {"roster": "members", "token": token},
        "people_token": lambda o: {"token": token},
        "officeholder": lambda o: {"pk": o["officeholder"].pk},
        "campaign_export": lambda o: {"pk": o["campaign"].pk, "fmt": "xlsx"},
        "job": lambda o: {"pk": _job(o["unit"]).pk},
        "campaign_document": lambda o: {"pk": o["campaign"].pk, "key": "callup_order"},
        "campaign_list": lambda o: {"pk": o["campaign"].pk, "which": "approved", "fmt": "xlsx"},
        "campaign_import": lambda o: {"pk": o["campaign"].pk, "kind": "registrations"},
        "campaign_token": lambda o: {"pk": o["campaign"].pk, "kind": "registrations", "token": token},
    }
    return builders[key](objects)


def _job(commune):
    """A finished file of the commune officer of Vĩnh Quang (own side), or of another user (the other side)."""
    from django.contrib.auth import get_user_model

    from units.models import BackgroundJob

    User = get_user_model()
    owner = User.objects.get(username="vinhquang") if commune.name == "Vĩnh Quang" else UserFactory(username="khac")
    return BackgroundJob.objects.create(
        user=owner, kind="test", title="Tệp", status="done", content=b"%PDF", filename="a.pdf"
    )


def _users(tree):
    return {
        "anon": None,
        "viewer": make_user_with_role("xemvq", tree["vinh_quang"], Role.VIEWER),
        "officer": make_user_with_role("vinhquang", tree["vinh_quang"], Role.COMMUNE_OFFICER),
        "district_officer": make_user_with_role("trolyhuyen", tree["district"], Role.DISTRICT_OFFICER),
        "commander": make_user_with_role("chihuy", tree["district"], Role.COMMANDER),
    }


def _status(client, user, url, method="get"):
    client.logout()
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    if response.status_code == 302 and user is None:
        assert response.url.startswith("/login/"), url
    return response.status_code


def test_every_role_gets_the_expected_answer(client, tree, world):
    """One arrangement, every URL × role (building the records is the costly part)."""
    users = _users(tree)
    actual, wrong = {}, []
    for name, (key, expected, *method) in MATRIX.items():
        method = method[0] if method else "get"
        url = reverse(name, kwargs=_kwargs(key, world["own"]))
        row = {role: _status(client, users[role], url, method) for role in ROLES}
        if expected["cross"] is not None:
            other = reverse(name, kwargs=_kwargs(key, world["other"]))
            row["cross"] = _status(client, users["officer"], other, method)
        else:
            row["cross"] = None
        actual[name] = row
        if row != expected:
            wrong.append(f"{name}: expected {expected}, got {row}")
    if os.environ.get("MATRIX_PRINT"):
        for name, row in actual.items():
            print(name, row)
    assert wrong == [], "\n".join(wrong)
