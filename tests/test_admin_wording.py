"""The admin in Vietnamese: third-party apps and Django's own words translated, distinct model names,
readable audit targets, and a sign-in that refuses an over-long user name instead of failing."""

import re
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone

from units.models import AuditEvent

ENGLISH = [
    "AXES",
    "Axes",
    "Access attempt",
    "access attempt",
    "Access failure",
    "Access log",
    "OTP_STATIC",
    "Otp_Static",
    "Otp_Totp",
    "OTP_TOTP",
    "Static device",
    "static device",
    "TOTP device",
    "Show counts",
    "Run",
    "Filter by",
    "By ",
    "Attempt Time",
    "User Agent",
    "Locked Out",
    "Identity",
    "Timestamps",
    "Configuration",
    "Throttling",
    "Confirmed",
    "Created at",
    "Last used at",
    "QR Code",
    "qrcode",
    "The user that this device belongs to.",
]

PAGES = [
    "/admin/",
    "/admin/axes/accessattempt/",
    "/admin/axes/accessfailurelog/",
    "/admin/axes/accesslog/",
    "/admin/otp_static/staticdevice/",
    "/admin/otp_totp/totpdevice/",
    "/admin/otp_totp/totpdevice/add/",
    "/admin/otp_static/staticdevice/add/",
    "/admin/units/auditevent/",
    "/admin/people/person/",
    "/admin/recruitment/quota/",
    "/admin/reports/target/",
]


class _Text(HTMLParser):
    """The text a reader sees: no tags, no attributes, no scripts."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(response):
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


@pytest.fixture
def lockout_rows(db):
    now = timezone.now()
    common = {"user_agent": "Mozilla", "ip_address": "10.0.0.9", "username": "ai_do", "http_accept": "*/*"}
    AccessAttempt.objects.create(**common, path_info="/login/", get_data="", post_data="", failures_since_start=3)
    AccessFailureLog.objects.create(**common, path_info="/login/", locked_out=False)
    AccessLog.objects.create(**common, path_info="/login/", logout_time=now)


@pytest.fixture
def devices(superuser):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=superuser, name="Điện thoại", confirmed=False)
    StaticDevice.objects.create(user=superuser, name="Mã dự phòng", confirmed=False)


@pytest.mark.parametrize("url", PAGES)
def test_the_admin_speaks_vietnamese(vietnamese, superuser, lockout_rows, devices, url):
    AuditEvent.objects.create(kind=AuditEvent.Kind.SIGN_IN, username="admin")
    vietnamese.force_login(superuser)
    response = vietnamese.get(url)
    assert response.status_code == 200
    text = visible_text(response)
    found = [word for word in ENGLISH if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text)]
    assert found == [], text[:2000]


def test_the_apps_and_models_read_in_vietnamese_with_distinct_names(vietnamese, superuser):
    vietnamese.force_login(superuser)
    app_list = vietnamese.get("/admin/").context["app_list"]
    apps = {app["app_label"]: app for app in app_list}
    assert apps["axes"]["name"] == "Khóa đăng nhập"
    assert apps["otp_static"]["name"] == "Mã khôi phục"
    assert apps["otp_totp"]["name"] == "Ứng dụng xác thực"
    names = [model["name"] for app in app_list for model in app["models"]]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    reports = {model["object_name"]: model["name"] for model in apps["reports"]["models"]}
    assert reports["Indicator"] != reports["Target"]


def test_the_audit_trail_names_its_targets(vietnamese, superuser, tree):
    from people.models import Person
    from tests.factories import PersonFactory

    person = PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"])
    gone = PersonFactory(full_name="Lý A Sình", home_unit=tree["vq_hamlet"])
    gone_pk = gone.pk
    Person.objects.filter(pk=gone_pk).delete()
    for target in (
        f"people.Person {{'pk': {person.pk}}}",
        f"people.Person {{'pk': {gone_pk}}}",
        "militia:members.xlsx",
    ):
        AuditEvent.objects.create(kind=AuditEvent.Kind.DENIED, username="lybon", target=target, detail="404")
    vietnamese.force_login(superuser)
    text = visible_text(vietnamese.get("/admin/units/auditevent/"))
    assert "Công dân «Nguyễn Văn Đức»" in text
    assert f"Công dân số {gone_pk} (không còn tồn tại)" in text
    assert "militia:members.xlsx" in text
    assert "{'pk'" not in text


@pytest.mark.parametrize("length", [151, 256, 400])
def test_the_admin_sign_in_refuses_an_over_long_user_name(client, db, length):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/admin/login/?next=/admin/", {"username": "a" * length, "password": "x"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_the_admin_sign_in_still_lets_staff_in(client, superuser):
    from tests.factories import PASSWORD

    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert (response.status_code, response.url) == (302, "/admin/")


def test_the_admin_header_names_the_command_and_greets_the_user_by_full_name(vietnamese, db):
    from tests.factories import UserFactory

    officer = UserFactory(
        username="trolyhuyen", first_name="Hoàng Thị", last_name="Lan", is_staff=True, is_superuser=True
    )
    vietnamese.force_login(officer)
    text = visible_text(vietnamese.get("/admin/"))
    assert "Ban Chỉ huy Quân sự huyện Bảo Lâm – Quản trị hệ thống" in text
    assert "Hoàng Thị Lan" in text  # never the family and middle names alone
