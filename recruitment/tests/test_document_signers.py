"""The papers of the recruitment year print their signer from the records (units.Officeholder), never typed
again: the chair of the deciding People's Committee on the paper's date signs the calls and orders (the
district's before 01/07/2025, the commune's after), the commander of the commune's military command its lists
and records; a paper dated in the past shows the holder of that day, today's the holder now; a name typed for
one paper still wins; the documents page shows who is on record."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from recruitment import documents
from tests.factories import CandidateFactory, PersonFactory
from units.models import BackgroundJob, Office, Officeholder

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def approved(campaign, tree):
    return CandidateFactory(
        campaign=campaign,
        stage="approved",
        person=PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"]),
    )


@pytest.fixture
def holders(tree):
    """The chairs of Vĩnh Quang (the previous one until 30/06/2026), of the district before the reorganisation,
    and the commune's military commander (a deputy)."""
    commune, district = tree["vinh_quang"], tree["district"]
    chair = Office.COMMITTEE_CHAIR
    return {
        "previous": Officeholder.objects.create(
            unit=commune, office=chair, full_name="Nông Văn Cũ", start=D(2021, 7, 1), end=D(2026, 6, 30)
        ),
        "current": Officeholder.objects.create(
            unit=commune, office=chair, full_name="Hoàng Thị Mới", start=D(2026, 7, 1)
        ),
        "district": Officeholder.objects.create(
            unit=district, office=chair, full_name="Lương Văn Huyện", start=D(2020, 1, 1), end=D(2025, 6, 30)
        ),
        "commander": Officeholder.objects.create(
            unit=commune,
            office=Office.COMMANDER,
            full_name="Lò Văn Ba",
            title="Phó Chỉ huy trưởng",
            start=D(2024, 1, 1),
        ),
    }


def _orders(campaign, tree, officer, on, **options):
    opts = documents.Options(on=on, place="Sân vận động", **options)
    docs, _table = documents.callup_orders(campaign=campaign, commune=tree["vinh_quang"], user=officer, opts=opts)
    return docs


def test_an_order_dated_in_the_past_is_signed_by_the_chair_of_that_day(campaign, approved, tree, officer, holders):
    (doc,) = _orders(campaign, tree, officer, D(2026, 3, 2))
    assert doc.signer_name == "Nông Văn Cũ"
    assert (doc.signer_prefix, doc.signer_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    word = Document(io.BytesIO(documents.official.render_docx(doc)))  # the signature block is a table
    cells = "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "Nông Văn Cũ" in cells and "CHỦ TỊCH" in cells


def test_an_order_made_today_is_signed_by_the_chair_now(campaign, approved, tree, officer, holders):
    today = timezone.localdate()
    assert today >= D(2026, 7, 1)  # the machine's clock: the current chair's term has begun
    (doc,) = _orders(campaign, tree, officer, today)
    assert doc.signer_name == "Hoàng Thị Mới"


def test_before_the_reorganisation_the_district_chair_of_that_day_signs(campaign, approved, tree, officer, holders):
    (doc,) = _orders(campaign, tree, officer, D(2025, 3, 1))
    assert doc.issuer_lines == ["ỦY BAN NHÂN DÂN", "HUYỆN BẢO LÂM"] and doc.signer_name == "Lương Văn Huyện"


def test_an_order_made_again_keeps_its_date_and_its_signer(campaign, approved, tree, officer, holders):
    (first,) = _orders(campaign, tree, officer, D(2026, 3, 2))
    (again,) = _orders(campaign, tree, officer, timezone.localdate())
    assert again.number_line == first.number_line and again.date_line == first.date_line
    assert again.signer_name == "Nông Văn Cũ"


def test_a_name_typed_for_one_paper_still_wins(campaign, approved, tree, officer, holders):
    (doc,) = _orders(campaign, tree, officer, timezone.localdate(), signer_name="Đặng Văn Thay")
    assert doc.signer_name == "Đặng Văn Thay" and doc.signer_title == "CHỦ TỊCH"


def test_without_a_record_the_signature_is_left_for_the_hand(campaign, approved, tree, officer):
    (doc,) = _orders(campaign, tree, officer, timezone.localdate())
    assert doc.signer_name == ""


def test_the_communes_lists_are_signed_by_its_commander_and_a_deputy_signs_for_him(
    campaign, approved, tree, officer, holders
):
    opts = documents.Options(on=timezone.localdate())
    docs, _table = documents.build(
        "public_approved", campaign=campaign, commune=tree["vinh_quang"], user=officer, opts=opts
    )
    assert docs[0].signer_name == "Lò Văn Ba"
    assert (docs[0].signer_prefix, docs[0].signer_title) == ("KT. CHỈ HUY TRƯỞNG", "PHÓ CHỈ HUY TRƯỞNG")
    docs, _table = documents.build(
        "handover_record", campaign=campaign, commune=tree["vinh_quang"], user=officer, opts=opts
    )
    assert docs[0].signer_name == "Lò Văn Ba" and docs[0].signer_prefix == "ĐẠI DIỆN BÊN GIAO"


def test_the_documents_page_shows_the_signer_on_record(client, officer, campaign, holders):
    client.force_login(officer)
    html = client.get(reverse("recruitment:campaign_documents", args=[campaign.pk])).content.decode()
    assert 'name="callup_order-signer_name"' in html and 'placeholder="Hoàng Thị Mới"' in html
    assert 'placeholder="Lò Văn Ba"' in html  # the hand-over record: the commune's commander
    assert f'<a href="{reverse("signers:list")}" id="signers-link">' in html


def test_a_batch_made_on_the_page_prints_the_chair_on_record(client, officer, campaign, approved, tree, holders):
    client.force_login(officer)
    data = {"callup_order-commune": tree["vinh_quang"].pk, "callup_order-fmt": "zip", "callup_order-signer_name": ""}
    client.post(reverse("recruitment:document_make", args=[campaign.pk, "callup_order"]), data)
    archive = zipfile.ZipFile(io.BytesIO(bytes(BackgroundJob.objects.get().content)))
    word = Document(io.BytesIO(archive.read(archive.namelist()[0])))
    cells = "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "Hoàng Thị Mới" in cells
