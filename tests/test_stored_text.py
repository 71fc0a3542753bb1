"""Text with control characters, stray line endings and decomposed letters: cleaned on the way in (every
form, import and the admin store it through units.text.clean_text) and on the way out (every workbook and
document), so that no export or document answers a server error whatever was stored before.

The hypothesis tests type arbitrary text (any code point but lone surrogates, which no browser sends)
through each form and import as a real user, then download every export and document. Each example
runs inside a savepoint that is rolled back (see test_hostile_input).
"""

import csv
import datetime
import io
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from militia.models import MilitiaMember, Reservist
from people.models import Person
from recruitment.models import Candidate
from reports.models import Report, SectionText
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    QuotaFactory,
    ReservistFactory,
)
from tests.test_hostile_input import form_fields
from units.text import clean_text, normalize_name

pytestmark = pytest.mark.django_db

BAD = "Ctrl\x07Char"
EXAMPLES = 15

# Any code point but lone surrogates; and, more often, Vietnamese letters with loose combining marks,
# control characters and every kind of line ending.
_PIECES = list("aăâeêioôơuưyđAĐ Z\t\n\r\x00\x07\x0b\x1b\x7f\x85\ufeff\ufffe") + [
    "\u0300",
    "\u0301",
    "\u0303",
    "\u0309",
    "\u0323",
    "\r\n",
]
hostile_text = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(_PIECES), max_size=18).map("".join),
    st.just(BAD),
)


def typed(text):
    """A value a required field accepts: the hostile text between two letters."""
    return f"A{text}Z"


def assert_clean(stored):
    """Stored text is composed (NFC) and holds no control character but tab and line feed."""
    assert unicodedata.is_normalized("NFC", stored), ascii(stored)
    assert all(c in "\t\n" or unicodedata.category(c) not in ("Cc", "Cs") for c in stored), ascii(stored)
    assert "\ufffe" not in stored and "\uffff" not in stored


def examples(count=EXAMPLES):
    return hypothesis_settings(
        max_examples=count,
        deadline=None,
        database=None,  # no .hypothesis/ folder in the checkout
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def download(client, url):
    """The file at `url`, checked to open in its own program's library."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if url.endswith(".xlsx"):
        load_workbook(io.BytesIO(content))
    elif url.endswith(".docx"):
        from docx import Document

        Document(io.BytesIO(content))
    elif url.endswith(".pdf"):
        assert content.startswith(b"%PDF")
    return content


def page_data(client, url):
    """The form's own values, as the browser sends them."""
    return {name: values[0] if values else "" for name, (_kind, values) in form_fields(client, url, []).items()}


def posted(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        (f.errors, f.non_field_errors()) for f in [response.context.get("form")] if f
    ]
    return response


def csv_upload(headers, rows, name="danh-sach.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return SimpleUploadedFile(name, ("\ufeff" + out.getvalue()).encode())


# --- The world: a person, a member, a reservist, a candidate, a report ------------------------------------


@pytest.fixture
def world(tree, settings, tmp_path):
    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")
    settings.RECRUITMENT_IMPORT_DIR = str(tmp_path / "imports-r")
    from reports import services as report_services

    member = MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]))
    reservist = ReservistFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1995, 1, 1))
    )
    campaign = CampaignFactory(district=tree["district"], year=2026)
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=3)
    candidate = CandidateFactory(
        campaign=campaign,
        person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2005, 3, 3)),
        stage="approved",
    )
    period = report_services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    report_services.period_open(period=period)
    report = Report.objects.get(period=period, unit=tree["vinh_quang"])
    return {
        "member": member,
        "reservist": reservist,
        "campaign": campaign,
        "candidate": candidate,
        "period": period,
        "report": report,
    }


def export_urls(world, *, pdf=False):
    campaign, report = world["campaign"], world["report"]
    urls = [
        reverse("militia:export", kwargs={"roster": r, "fmt": f})
        for r in ("members", "reservists")
        for f in ("xlsx", "csv")
    ]
    urls += [reverse("recruitment:candidate_export", kwargs={"pk": campaign.pk, "fmt": f}) for f in ("xlsx", "csv")]
    urls += [
        reverse("recruitment:public_list_export", kwargs={"pk": campaign.pk, "which": "approved", "fmt": "xlsx"}),
        reverse("reports:period_values_xlsx", args=[world["period"].pk]),
    ]
    urls += [reverse("reports:report_docx", args=[report.pk]), reverse("reports:report_print", args=[report.pk])]
    if pdf:
        urls.append(reverse("reports:report_pdf", args=[report.pk]))
    return urls


# --- Stored before the portal cleaned anything: every export still downloads ------------------------------


def test_a_control_character_already_stored_never_breaks_an_export(client, world, tree, district_officer):
    member, reservist, candidate, report = world["member"], world["reservist"], world["candidate"], world["report"]
    # Written straight to the database, as an older version of the portal (or a SQL fix) may have left it.
    Person.objects.filter(pk__in=[member.person_id, reservist.person_id, candidate.person_id]).update(
        full_name=BAD, notes=BAD, occupation=BAD
    )
    MilitiaMember.objects.filter(pk=member.pk).update(notes=BAD, platoon=BAD, squad=BAD)
    Reservist.objects.filter(pk=reservist.pk).update(notes=BAD)
    Candidate.objects.filter(pk=candidate.pk).update(notes=BAD, reason=BAD)
    tree["vinh_quang"].__class__.objects.filter(pk=tree["vq_hamlet"].pk).update(name=BAD)
    section = report.template.sections.order_by("order").first()
    SectionText.objects.create(report=report, section=section, text=f"{BAD}\r\nline two\x0c")
    Report.objects.filter(pk=report.pk).update(signer_name=BAD, signer_title=BAD, recipients=f"{BAD}\n- Lưu\x1b")
    client.force_login(district_officer)
    for url in export_urls(world, pdf=True):
        content = download(client, url)
        if url.endswith(".csv"):
            text = content.decode("utf-8-sig")
            assert "CtrlChar" in text and "\x07" not in text, url
    # The word document and the print page carry the cleaned text.
    from docx import Document

    word = Document(io.BytesIO(download(client, reverse("reports:report_docx", args=[report.pk]))))
    body = "\n".join(p.text for p in word.paragraphs)
    body += "\n".join(p.text for t in word.tables for row in t.rows for c in row.cells for p in c.paragraphs)
    assert "CtrlChar" in body and "\x07" not in body


def test_a_control_character_in_an_uploaded_roster_never_breaks_the_rejected_rows_workbook(
    client, officer, tree, settings, tmp_path
):
    from militia.tests import test_import as helpers

    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")
    client.force_login(officer)
    good = helpers.member_row(1, **{"Họ và tên": f"Lý {BAD}", "Trung đội": "1\x0b"})
    bad = helpers.member_row(2, **{"Họ và tên": f"Vàng {BAD}", "Số CCCD": f"{BAD}"})
    response = client.post(
        reverse("militia:import", kwargs={"roster": "members"}), {"file": csv_upload(helpers.HEADERS, [good, bad])}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    location = response["Location"]
    workbook = load_workbook(io.BytesIO(download(client, location.rstrip("/") + "/rejected.xlsx")))
    values = [c.value for row in workbook.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Vàng CtrlChar" in values
    assert client.post(location, {"confirm": "1", "skip_rejected": "1"}).status_code == 302
    member = MilitiaMember.objects.select_related("person").get(person__full_name="Lý CtrlChar")
    assert member.platoon == "1"


# --- Typed through every form, as a real user; then every export and document downloads ---------------------


def storable_raw(value):
    """Hostile text as a database can hold it raw: PostgreSQL refuses NUL in text, SQLite keeps it."""
    return value.replace("\x00", "") if connection.vendor == "postgresql" else value


def run_examples(count, body):
    @examples(count)
    @given(hostile_text)
    def run(text):
        with transaction.atomic():
            body(text)
            transaction.set_rollback(True)

    run()


def test_text_typed_in_the_people_and_roster_forms_is_stored_clean(client, world, district_officer):
    member, reservist = world["member"], world["reservist"]
    client.force_login(district_officer)
    person_url = reverse("people:update", args=[member.person_id])
    member_url = reverse("militia:member_update", args=[member.pk])
    reservist_url = reverse("militia:reservist_update", args=[reservist.pk])
    person_page, member_page, reservist_page = (page_data(client, u) for u in (person_url, member_url, reservist_url))
    urls = [reverse("militia:export", kwargs={"roster": "members", "fmt": f}) for f in ("xlsx", "csv")]
    urls.append(reverse("militia:export", kwargs={"roster": "reservists", "fmt": "xlsx"}))

    def body(text):
        value = typed(text)
        posted(client, person_url, {**person_page, "full_name": value, "occupation": value, "notes": value})
        posted(client, member_url, {**member_page, "platoon": value, "squad": value, "notes": value})
        posted(client, reservist_url, {**reservist_page, "notes": value})
        person = Person.objects.get(pk=member.person_id)
        assert person.full_name == normalize_name(clean_text(value))
        assert person.occupation == person.notes == clean_text(value)
        stored = MilitiaMember.objects.get(pk=member.pk)
        assert stored.platoon == stored.squad == stored.notes == clean_text(value)
        assert Reservist.objects.get(pk=reservist.pk).notes == clean_text(value)
        for text_stored in (person.full_name, person.notes, stored.platoon):
            assert_clean(text_stored)
        for url in urls:
            download(client, url)

    run_examples(EXAMPLES, body)


def test_text_typed_in_a_report_is_stored_clean_and_its_documents_download(client, world, district_officer):
    report = world["report"]
    client.force_login(district_officer)
    edit_url = reverse("reports:report_edit", args=[report.pk])
    edit_page = page_data(client, edit_url)
    texts = [name for name in edit_page if name.startswith("text_")]
    assert texts
    comment_url = reverse("reports:report_comment", args=[report.pk])
    urls = [
        reverse("reports:report_docx", args=[report.pk]),
        reverse("reports:report_print", args=[report.pk]),
        reverse("reports:period_values_xlsx", args=[world["period"].pk]),
    ]

    def body(text):
        value = typed(text)
        data = {**edit_page, **dict.fromkeys(texts, value)}
        for name in ("signer_name", "signer_title", "recipients"):
            if name in data:
                data[name] = value
        response = client.post(edit_url, data)
        assert response.status_code in (200, 302), response.status_code
        stored = SectionText.objects.filter(report=report).values_list("text", flat=True)
        assert list(stored) == [clean_text(value)] * len(texts), response.context and response.context["form"].errors
        client.post(comment_url, {"text": value})
        comment = report.comments.order_by("-pk").first()
        assert comment is not None and comment.text == clean_text(value).strip()
        assert_clean(comment.text)
        for url in urls:
            download(client, url)

    run_examples(10, body)  # a Word document per example


def test_a_report_with_hostile_text_prints_as_pdf(client, world, district_officer):
    report = world["report"]
    client.force_login(district_officer)
    section = report.template.sections.order_by("order").first()

    def body(text):
        value = storable_raw(typed(text))
        SectionText.objects.update_or_create(report=report, section=section, defaults={"text": value})
        Report.objects.filter(pk=report.pk).update(signer_name=value)
        download(client, reverse("reports:report_pdf", args=[report.pk]))

    run_examples(3, body)  # a PDF takes a second: a few examples, the text stored raw


def refused_as_binary(response, value):
    """A CSV holding a NUL is refused whole as a binary file, with the reason; anything else is read."""
    if "\x00" in value:
        assert response.status_code == 400
        assert response.context["form"].errors["file"]
        return True
    assert response.status_code == 302, response.content.decode()[:2000]
    return False


def test_text_in_an_imported_roster_is_stored_clean(client, world, officer, tree):
    from militia.tests import test_import as helpers

    client.force_login(officer)
    serial = iter(range(1, 10_000))

    def body(text):
        value = typed(text)
        good = helpers.member_row(next(serial), **{"Họ và tên": f"Lý {value}", "Trung đội": value})
        bad = helpers.member_row(next(serial), **{"Họ và tên": value, "Ngày vào": value})
        response = client.post(
            reverse("militia:import", kwargs={"roster": "members"}), {"file": csv_upload(helpers.HEADERS, [good, bad])}
        )
        if refused_as_binary(response, value):
            return
        location = response["Location"]
        assert client.get(location).status_code == 200
        download(client, location.rstrip("/") + "/rejected.xlsx")
        assert client.post(location, {"confirm": "1", "skip_rejected": "1"}).status_code == 302
        member = MilitiaMember.objects.select_related("person").get(person__national_id=good["Số CCCD"])
        assert member.person.full_name == normalize_name(clean_text(f"Lý {value}"))
        assert member.platoon == normalize_name(clean_text(value))  # a cell's text is one line
        assert_clean(member.person.full_name)
        download(client, reverse("militia:export", kwargs={"roster": "members", "fmt": "xlsx"}))

    run_examples(EXAMPLES, body)


def test_text_in_an_imported_registration_list_is_stored_clean(client, world, officer):
    from recruitment.tests import test_io as helpers

    campaign = world["campaign"]
    client.force_login(officer)
    serial = iter(range(1, 10_000))

    def body(text):
        value = typed(text)
        good = helpers.reg_row(next(serial), **{"Họ và tên": f"Sùng {value}", "Ghi chú": value})
        bad = helpers.reg_row(next(serial), **{"Họ và tên": value, "Ngày sinh": value})
        response = client.post(
            helpers.url(campaign), {"file": csv_upload(helpers.REG_HEADERS, [good, bad], name="dang-ky.csv")}
        )
        if refused_as_binary(response, value):
            return
        location = response["Location"]
        assert client.get(location).status_code == 200
        download(client, location.rstrip("/") + "/rejected.xlsx")
        assert client.post(location, {"confirm": "1", "skip_rejected": "1"}).status_code == 302
        candidate = Candidate.objects.select_related("person").get(person__national_id=good["Số CCCD"])
        assert candidate.person.full_name == normalize_name(clean_text(f"Sùng {value}"))
        assert candidate.notes == normalize_name(clean_text(value))
        assert_clean(candidate.notes)
        for fmt in ("xlsx", "csv"):
            download(client, reverse("recruitment:candidate_export", kwargs={"pk": campaign.pk, "fmt": fmt}))

    run_examples(EXAMPLES, body)


def test_text_typed_in_the_admin_is_stored_clean(client, world, superuser):
    person = world["member"].person
    client.force_login(superuser)
    url = reverse("admin:people_person_change", args=[person.pk])
    page = page_data(client, url)

    def body(text):
        value = typed(text)
        posted(client, url, {**page, "full_name": value, "notes": value, "_save": "Save"})
        stored = Person.objects.get(pk=person.pk)
        assert stored.full_name == normalize_name(clean_text(value))
        assert stored.notes == clean_text(value)
        download(client, reverse("militia:export", kwargs={"roster": "members", "fmt": "xlsx"}))

    run_examples(5, body)
