"""The report as an official document (Decree 30/2020): the .docx and the PDF read back, the print page,
who may export, the audit trail and the fixed cost in queries."""

import datetime
import io
import re
import unicodedata
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from reports import documents, rules, services
from reports.models import IssuingBody, Period, PeriodKind, Report
from reports.tests.conftest import fill_report
from tests.caches import cold_queries
from units.models import AuditEvent

pytestmark = pytest.mark.django_db

SECTION_ONE = "I. CÔNG TÁC TRỰC SẴN SÀNG CHIẾN ĐẤU, TÌM KIẾM CỨU NẠN"
TITLE = "Tổng kết công tác quân sự, quốc phòng năm 2024"


def _approve(report, filer, approver, values=None, texts=None):
    report = fill_report(report, filer, values=values, texts=texts)
    services.report_submit(user=filer, report=report)
    services.report_approve(user=approver, report=report)
    return Report.objects.get(pk=report.pk)


@pytest.fixture
def approved(reports, officer, commander):
    """Vĩnh Quang's annual report, approved (number 1), with a two-paragraph first section."""
    first = reports["vinh_quang"].template.sections.order_by("order", "pk").first()
    return _approve(
        reports["vinh_quang"],
        officer,
        commander,
        values={"sscd_duty_shifts": Decimal(1234), "training_good_rate": Decimal("12.5")},
        texts={first.pk: "Duy trì nghiêm chế độ trực.\n\nTham gia cứu hộ lũ quét ở Nà Đoỏng."},
    )


def _docx(client, report):
    response = client.get(reverse("reports:report_docx", args=[report.pk]))
    assert response.status_code == 200, response.status_code
    return response, Document(io.BytesIO(response.content))


def _texts(cell):
    return [p.text for p in cell.paragraphs if p.text]


def _runs_are(paragraph, **flags):
    runs = [r for r in paragraph.runs if r.text]
    return bool(runs) and all(getattr(r, name) is value for r in runs for name, value in flags.items())


def _para(word, text):
    return next(p for p in word.paragraphs if p.text == text)


# --- Word ---------------------------------------------------------------------------------------------


def test_docx_of_an_approved_report_has_the_decree_30_header(client, officer, approved):
    client.force_login(officer)
    response, word = _docx(client, approved)
    assert response["Content-Type"] == documents.DOCX_TYPE
    assert response["Content-Disposition"] == (
        "attachment; filename=\"BC-2024-Vinh-Quang.docx\"; filename*=UTF-8''BC-2024-V%C4%A9nh-Quang.docx"
    )

    header = word.tables[0]
    left, right = header.cell(0, 0), header.cell(0, 1)
    assert _texts(left) == ["BAN CHỈ HUY QUÂN SỰ", "HUYỆN BẢO LÂM", "BAN CHỈ HUY QUÂN SỰ", "XÃ VĨNH QUANG"]
    parent, issuer = left.paragraphs[0], left.paragraphs[2]
    assert not any(r.bold for r in parent.runs) and _runs_are(issuer, bold=True)
    assert _texts(right) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(_runs_are(p, bold=True) for p in right.paragraphs if p.text)
    # The rules under the issuing body and the motto: a bordered paragraph in each cell.
    assert all(cell.paragraphs[-1]._p.pPr.find(_qn("w:pBdr")) is not None for cell in (left, right))

    approved_on = timezone.localdate(approved.approved_at)
    assert header.cell(1, 0).text == "Số: 01/BC-BCHQS"
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == rules.date_line("Vĩnh Quang", approved_on)
    assert re.fullmatch(r"Vĩnh Quang, ngày \d\d tháng (0[12]|[3-9]|1[012]) năm \d{4}", date.text)
    assert _runs_are(date, italic=True)

    assert _runs_are(_para(word, "BÁO CÁO"), bold=True)
    assert _runs_are(_para(word, TITLE), bold=True)
    assert not any(p.text == "DỰ THẢO" for p in word.paragraphs)


def test_docx_body_sections_figures_and_closing(client, officer, approved):
    client.force_login(officer)
    _response, word = _docx(client, approved)
    headings = [p.text for p in word.paragraphs if re.match(r"^[IVX]+\. ", p.text)]
    assert headings[0] == SECTION_ONE
    assert headings[-1] == "XII. PHƯƠNG HƯỚNG, NHIỆM VỤ VÀ CHỈ TIÊU NĂM TỚI"
    assert len(headings) == 12
    assert _runs_are(_para(word, SECTION_ONE), bold=True)
    # The narrative: one paragraph per block, justified, first line indented.
    duty = _para(word, "Duy trì nghiêm chế độ trực.")
    assert duty.alignment == 3  # WD_ALIGN_PARAGRAPH.JUSTIFY
    assert duty.paragraph_format.first_line_indent.mm == pytest.approx(12.7, abs=0.1)
    _para(word, "Tham gia cứu hộ lũ quét ở Nà Đoỏng.")

    figures = word.tables[1]
    assert [c.text for c in figures.rows[0].cells] == ["STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ này", "Kỳ trước"]
    assert [c.text for c in figures.rows[1].cells] == [
        "1",
        "Số lượt người trực sẵn sàng chiến đấu",
        "lượt người",
        "1.234",
        "-",
    ]
    training = next(t for t in word.tables if any(r.cells[1].text.startswith("Tỷ lệ dân quân") for r in t.rows[1:]))
    rate = next(r for r in training.rows if r.cells[3].text == "12,5")
    assert rate.cells[2].text == "%"

    closing = word.tables[-1]
    label = closing.cell(0, 0).paragraphs[0]
    assert label.text == "Nơi nhận:" and _runs_are(label, bold=True, italic=True)
    recipients = _texts(closing.cell(0, 0))[1:]
    assert recipients == ["- Ban CHQS huyện Bảo Lâm;", "- Đảng ủy, UBND xã Vĩnh Quang;", "- Lưu: VT, BCHQS."]
    signature = _texts(closing.cell(0, 1))
    assert signature[:2] == ["TM. BAN CHỈ HUY", "CHỈ HUY TRƯỞNG"]
    assert all(_runs_are(p, bold=True) for p in closing.cell(0, 1).paragraphs if p.text)


def test_docx_page_is_a4_with_the_decree_margins_in_times_new_roman(client, officer, approved):
    client.force_login(officer)
    _response, word = _docx(client, approved)
    section = word.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    measured += [section.left_margin, section.right_margin]
    assert [round(length.mm) for length in measured] == [210, 297, 20, 20, 30, 15]
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(_qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}


def test_signer_and_recipients_come_from_the_issuing_body(client, officer, reports, commander, tree):
    IssuingBody.objects.create(
        unit=tree["vinh_quang"],
        signer_title="KT. CHỈ HUY TRƯỞNG\nPhó Chỉ huy trưởng",
        signer_name="Nông Văn Dũng",
        recipients="Ban CHQS huyện Bảo Lâm;\n- Đảng ủy xã\nLưu: VT, TM",
        place="Vĩnh Quang",
    )
    report = _approve(reports["vinh_quang"], officer, commander)
    client.force_login(officer)
    _response, word = _docx(client, report)
    closing = word.tables[-1]
    assert _texts(closing.cell(0, 0))[1:] == ["- Ban CHQS huyện Bảo Lâm;", "- Đảng ủy xã;", "- Lưu: VT, TM."]
    assert _texts(closing.cell(0, 1)) == ["KT. CHỈ HUY TRƯỞNG", "PHÓ CHỈ HUY TRƯỞNG", "Nông Văn Dũng"]
    assert word.tables[0].cell(1, 1).text.startswith("Vĩnh Quang, ngày ")


def test_a_draft_has_no_number_today_s_date_and_a_draft_mark(client, officer, reports):
    report = fill_report(reports["vinh_quang"], officer)
    client.force_login(officer)
    _response, word = _docx(client, report)
    assert word.paragraphs[0].text == "DỰ THẢO"
    assert word.tables[0].cell(1, 0).text == "Số:       /BC-BCHQS"
    assert word.tables[0].cell(1, 1).text == rules.date_line("Vĩnh Quang", timezone.localdate())


def test_district_document_prints_its_stored_rolled_up_values(
    client, reports, officer, outsider, commander, district_officer
):
    _approve(reports["vinh_quang"], officer, commander, values={"sscd_duty_shifts": Decimal(1000)})
    _approve(reports["ly_bon"], outsider, commander, values={"sscd_duty_shifts": Decimal(234)})
    district = fill_report(Report.objects.get(pk=reports["district"].pk), district_officer)
    client.force_login(commander)
    _response, word = _docx(client, district)
    assert _texts(word.tables[0].cell(0, 0)) == [
        "BỘ CHỈ HUY QUÂN SỰ",
        "TỈNH CAO BẰNG",
        "BAN CHỈ HUY QUÂN SỰ",
        "HUYỆN BẢO LÂM",
    ]
    assert word.tables[0].cell(1, 0).text == "Số:       /BC-BCH"
    assert [c.text for c in word.tables[1].rows[1].cells][3] == "1.234"


# --- PDF ----------------------------------------------------------------------------------------------


def test_pdf_has_the_vietnamese_header_in_liberation_serif(client, officer, approved):
    client.force_login(officer)
    response = client.get(reverse("reports:report_pdf", args=[approved.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="BC-2024-Vinh-Quang.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    first = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    joined = " ".join(line.strip() for line in first.splitlines())  # long headings wrap
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BAN CHỈ HUY QUÂN SỰ",
        "HUYỆN BẢO LÂM",
        "XÃ VĨNH QUANG",
        "Số: 01/BC-BCHQS",
        rules.date_line("Vĩnh Quang", timezone.localdate(approved.approved_at)),
        "BÁO CÁO",
        TITLE,
        SECTION_ONE,
    ):
        assert expected in joined, expected
    assert "1.234" in first
    fonts = set()
    for pdf_page in reader.pages:
        for font in pdf_page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", ""))
    assert fonts, "no font in the PDF"
    # Only the Times-compatible face, in its four styles: no fallback font for a missing Vietnamese letter.
    assert all(name.startswith(("LiberationSerif", "TimesNewRoman")) for name in fonts), fonts
    assert {"LiberationSerif", "LiberationSerifBold", "LiberationSerifItalic"} <= fonts or any(
        name.startswith("TimesNewRoman") for name in fonts
    )
    everything = unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    assert "Nơi nhận:" in everything


def _text_boxes(box):
    if type(box).__name__ == "TextBox":
        yield box
    for child in getattr(box, "children", None) or ():
        yield from _text_boxes(child)


def _header_extents(report, extra_css=""):
    """Each line of the first page's header (left and right edge, in CSS px) and the right edge of the
    page's content area, as WeasyPrint lays the PDF out."""
    page = documents.layout_pdf(documents.build_document(report), extra_css=extra_css).pages[0]
    box = page._page_box
    right = box.content_box_x() + box.width
    lines = {}
    for text in _text_boxes(box):
        lines.setdefault(text.text.strip(), (text.position_x, text.position_x + text.width))
    return lines, box.content_box_x(), right


# Without fonts-liberation2 the PDF falls back to DejaVu Serif, a tenth wider than Times.
DEJAVU = '.document, .document * { font-family: "DejaVu Serif" !important; }'


@pytest.mark.parametrize("extra_css", ["", DEJAVU], ids=["times-or-liberation", "dejavu-fallback"])
def test_pdf_header_lines_fit_within_the_page(approved, extra_css):
    lines, left, right = _header_extents(approved, extra_css)
    for text in (rules.NATIONAL_NAME, rules.MOTTO):
        assert text in lines, f"{text} is not on one line: {sorted(lines)[:12]}"
    header = [t for t in lines if t in (rules.NATIONAL_NAME, rules.MOTTO) or "CHỈ HUY" in t or "ngày" in t]
    for text in header:
        start, end = lines[text]
        assert left - 0.5 <= start and end <= right + 0.5, (text, start, end, left, right)


def test_pdf_motto_is_one_line_in_the_extracted_text_in_a_times_face(client, officer, approved):
    client.force_login(officer)
    reader = PdfReader(io.BytesIO(client.get(reverse("reports:report_pdf", args=[approved.pk])).content))
    runs = []

    def visit(text, _cm, _tm, font, _size):
        if text.strip():
            runs.append((unicodedata.normalize("NFC", text).strip(), str(font["/BaseFont"]) if font else ""))

    reader.pages[0].extract_text(visitor_text=visit)
    motto = [font for text, font in runs if text == rules.MOTTO]
    assert motto, runs[:8]
    assert motto[0].split("+")[-1] in ("Liberation-Serif-Bold", "TimesNewRomanPS-BoldMT", "Times-New-Roman-Bold")


# --- An approved document stays as signed ---------------------------------------------------------------


def _pdf_text(client, report):
    response = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    return " ".join(line.strip() for line in text.splitlines())


def _docx_text(client, report):
    _response, word = _docx(client, report)
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def test_an_approved_document_keeps_the_names_and_labels_it_was_approved_with(
    client, officer, commander, reports, tree
):
    body = IssuingBody.objects.create(
        unit=tree["vinh_quang"],
        parent_name="BAN CHỈ HUY QUÂN SỰ HUYỆN BẢO LÂM",
        name="BAN CHỈ HUY QUÂN SỰ XÃ VĨNH QUANG",
        abbreviation="BCHVQ",
        place="Vĩnh Quang",
        signer_name="Nông Văn Dũng",
    )
    report = _approve(reports["vinh_quang"], officer, commander, values={"sscd_duty_shifts": Decimal(1234)})
    row = report.template_indicators()[0]
    old_label, section = row.label, report.template.sections.order_by("order", "pk").first()
    old_heading = section.heading.upper()

    # Everything the document reads from other records is edited after the approval (as the admin does).
    body.parent_name, body.name, body.abbreviation = "BỘ CHQS TỈNH MỚI", "BAN CHQS XÃ ĐỔI TÊN", "ĐTN"
    body.place, body.signer_name = "Nơi Mới", "Người Ký Mới"
    body.save()
    row.label, row.unit_of_measure = "Chỉ tiêu đổi tên", "đơn vị mới"
    row.save()
    section.heading = "Mục đã sửa"
    section.save()
    template = report.template
    template.title = "Tiêu đề mới {period}"
    template.save()

    report = Report.objects.get(pk=report.pk)
    client.force_login(officer)
    old = (
        "BAN CHỈ HUY QUÂN SỰ XÃ VĨNH QUANG",
        "Số: 01/BC-BCHVQ",
        "Vĩnh Quang, ngày",
        "Nông Văn Dũng",
        old_label,
        old_heading,
        TITLE,
    )
    new = ("BAN CHQS XÃ ĐỔI TÊN", "BỘ CHQS TỈNH MỚI", "ĐTN", "Nơi Mới", "Người Ký Mới", "Chỉ tiêu đổi tên")
    new += ("đơn vị mới", "MỤC ĐÃ SỬA", "Tiêu đề mới năm 2024")
    for text in (_docx_text(client, report), _pdf_text(client, report)):
        for expected in old:
            assert expected in text.replace("\n", " "), expected
        for changed in new:
            assert changed not in text, changed
    # Header lines are broken at the level word: compare the header cell of the Word file exactly.
    _response, word = _docx(client, report)
    assert _texts(word.tables[0].cell(0, 0)) == [
        "BAN CHỈ HUY QUÂN SỰ",
        "HUYỆN BẢO LÂM",
        "BAN CHỈ HUY QUÂN SỰ",
        "XÃ VĨNH QUANG",
    ]

    # Reopened, the draft reads the records as they are now; approved again, it keeps the new ones.
    services.report_reopen(user=commander, report=report, reason="Đổi tên cơ quan ban hành")
    assert Report.objects.get(pk=report.pk).issued is None
    assert "BAN CHQS XÃ ĐỔI TÊN" in _docx_text(client, Report.objects.get(pk=report.pk))
    report = _approve(Report.objects.get(pk=report.pk), officer, commander)
    body.name = "TÊN SAU LẦN DUYỆT THỨ HAI"
    body.save()
    for text in (_docx_text(client, report), _pdf_text(client, report)):
        for expected in new:
            assert expected in text.replace("\n", " "), expected
        assert "TÊN SAU LẦN DUYỆT THỨ HAI" not in text
        assert "Số: 01/BC-ĐTN" in text


def test_an_approved_document_keeps_its_rows_when_the_template_changes(client, officer, commander, reports):
    """An indicator taken out of the template after the approval still prints with its figure."""
    from reports.models import SectionIndicator

    report = _approve(reports["vinh_quang"], officer, commander, values={"sscd_duty_shifts": Decimal(1234)})
    first = SectionIndicator.objects.filter(section__template_id=report.template_id, indicator__code="sscd_duty_shifts")
    label = first.get().indicator.label
    first.delete()
    client.force_login(officer)
    _response, word = _docx(client, report)
    row = next(r for t in word.tables[1:] for r in t.rows if r.cells[1].text == label)
    assert row.cells[3].text == "1.234"


# --- The print page -----------------------------------------------------------------------------------


def test_print_page_shows_the_document_with_a_print_button_and_no_inline_script(client, officer, approved):
    client.force_login(officer)
    response = client.get(reverse("reports:report_print", args=[approved.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="print-button"' in html and "js/report_print.js" in html
    assert "css/report_print.css" in html
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Số: 01/BC-BCHQS" in html
    assert reverse("reports:report_docx", args=[approved.pk]) in html
    assert 'id="draft-mark"' not in html


# --- Who may export, and what is recorded -------------------------------------------------------------

EXPORTS = ("reports:report_docx", "reports:report_pdf", "reports:report_print")


@pytest.mark.parametrize("name", EXPORTS)
def test_a_viewer_without_the_export_permission_is_refused(client, viewer, reports, name):
    client.force_login(viewer)
    assert client.get(reverse(name, args=[reports["vinh_quang"].pk])).status_code == 403


@pytest.mark.parametrize("name", EXPORTS)
def test_an_outsider_gets_404(client, outsider, reports, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[reports["vinh_quang"].pk])).status_code == 404


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_is_sent_to_log_in(client, reports, name):
    response = client.get(reverse(name, args=[reports["vinh_quang"].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_exports_are_audited(client, officer, approved):
    client.force_login(officer)
    client.get(reverse("reports:report_docx", args=[approved.pk]))
    client.get(reverse("reports:report_pdf", args=[approved.pk]))
    events = list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT)
        .order_by("pk")
        .values_list("username", "target", "detail")
    )
    assert events == [
        ("vinhquang", f"reports:report {approved.pk}.docx", "BC-2024-Vinh-Quang.docx"),
        ("vinhquang", f"reports:report {approved.pk}.pdf", "BC-2024-Vinh-Quang.pdf"),
    ]


def _queries(client, name, report):
    with cold_queries() as queries:
        assert client.get(reverse(name, args=[report.pk])).status_code == 200
    return len(queries)


def test_exports_cost_the_same_queries_whatever_the_contents(
    client, reports, officer, outsider, commander, district_officer
):
    client.force_login(commander)
    commune = reports["vinh_quang"]
    empty = {name: _queries(client, name, commune) for name in EXPORTS}
    assert max(empty.values()) <= 19
    # An approved report prints what it was approved with: its snapshot, its own figures and narratives,
    # without the template's sheet (five queries fewer than a draft; six for the print page, which then reads
    # no cached sheet and so not the generations of the report's unit either).
    _approve(commune, officer, commander, values={"sscd_duty_shifts": Decimal(1000)})
    approved = {name: _queries(client, name, commune) for name in EXPORTS}
    assert approved == {name: count - 5 - (name == "reports:report_print") for name, count in empty.items()}

    # A district's draft also reads the roll-up of the reports below it; approved, it costs what a commune's does.
    _approve(reports["ly_bon"], outsider, commander, values={"sscd_duty_shifts": Decimal(234)})
    district = fill_report(Report.objects.get(pk=reports["district"].pk), district_officer)
    counts = {name: _queries(client, name, district) for name in EXPORTS}
    assert max(counts.values()) <= 22, counts
    services.report_submit(user=district_officer, report=district)
    services.report_approve(user=commander, report=Report.objects.get(pk=district.pk))
    assert {name: _queries(client, name, district) for name in EXPORTS} == approved


# --- The pieces ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "phrase", "code"),
    [
        (PeriodKind.YEAR, 1, "năm 2024", "2024"),
        (PeriodKind.HALF, 1, "6 tháng đầu năm 2024", "2024-H1"),
        (PeriodKind.HALF, 2, "6 tháng cuối năm 2024", "2024-H2"),
        (PeriodKind.QUARTER, 1, "quý I năm 2024", "2024-Q1"),
        (PeriodKind.QUARTER, 4, "quý IV năm 2024", "2024-Q4"),
        (PeriodKind.MONTH, 3, "tháng 3 năm 2024", "2024-M03"),
    ],
)
def test_period_phrase(kind, number, phrase, code):
    period = Period(kind=kind, year=2024, number=number, start=datetime.date(2024, 1, 1))
    assert documents.period_phrase(period) == phrase
    assert documents.period_code(period) == code


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal(1234), 0, "1.234"),
        (Decimal("1234567.5"), 1, "1.234.567,5"),
        (Decimal("12.5"), 1, "12,5"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal(7), 1, "7,0"),
        (None, 0, "-"),
    ],
)
def test_figures_are_written_the_vietnamese_way(value, decimals, shown):
    assert documents.vn_figure(value, decimals) == shown


def test_names_and_numerals():
    assert [documents.roman(n) for n in (1, 4, 9, 12)] == ["I", "IV", "IX", "XII"]
    assert documents.header_lines("BAN CHỈ HUY QUÂN SỰ THỊ TRẤN PÁC MIỀU") == [
        "BAN CHỈ HUY QUÂN SỰ",
        "THỊ TRẤN PÁC MIỀU",
    ]
    assert documents.header_lines("UBND XÃ LÝ BÔN") == ["UBND XÃ LÝ BÔN"]
    assert documents.ascii_name("Đức Hạnh") == "Duc-Hanh"


def _qn(tag):
    from docx.oxml.ns import qn

    return qn(tag)


def test_reports_approved_before_the_snapshot_get_one_from_the_current_records(officer, outsider, commander, reports):
    """The data migration fills the snapshot of the reports approved before it, as the approval does."""
    from importlib import import_module

    from django.apps import apps

    report = _approve(reports["vinh_quang"], officer, commander, values={"sscd_duty_shifts": Decimal(1234)})
    taken = report.issued
    Report.objects.filter(pk=report.pk).update(issued=None)
    draft = fill_report(reports["ly_bon"], outsider)
    import_module("reports.migrations.0006_fill_issued_of_approved_reports").fill(apps, None)
    assert Report.objects.get(pk=report.pk).issued == taken
    assert Report.objects.get(pk=draft.pk).issued is None


def test_the_approved_report_page_shows_the_labels_it_was_approved_with(client, officer, commander, reports):
    report = _approve(reports["vinh_quang"], officer, commander, values={"sscd_duty_shifts": Decimal(1234)})
    indicator = report.template_indicators()[0]
    old_label = indicator.label
    indicator.label = "Chỉ tiêu đổi tên"
    indicator.save()
    section = report.template.sections.order_by("order", "pk").first()
    old_heading, section.heading = section.heading, "Mục đã sửa"
    section.save()
    client.force_login(officer)
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert old_label in page and old_heading in page
    assert "Chỉ tiêu đổi tên" not in page and "Mục đã sửa" not in page
    services.report_reopen(user=commander, report=report, reason="Đổi tên chỉ tiêu")
    page = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert "Chỉ tiêu đổi tên" in page and "Mục đã sửa" in page


def test_an_approved_document_keeps_its_default_recipients_and_approver_as_signer(
    client, officer, commander, reports, tree
):
    """Without an issuing body, the recipients come from the unit tree's names and the signer from the
    approver: renaming either later leaves the signed document as it was."""
    commander.first_name, commander.last_name = "Nông Văn", "Dũng"
    commander.save()
    report = _approve(reports["vinh_quang"], officer, commander)
    district = tree["district"]
    district.name = "Huyện Đổi Tên"
    district.save()
    commander.first_name, commander.last_name = "Người", "Khác"
    commander.save()
    client.force_login(officer)
    _response, word = _docx(client, Report.objects.get(pk=report.pk))
    closing = word.tables[-1]
    assert _texts(closing.cell(0, 0))[1:] == [
        "- Ban CHQS huyện Bảo Lâm;",
        "- Đảng ủy, UBND xã Vĩnh Quang;",
        "- Lưu: VT, BCHQS.",
    ]
    assert _texts(closing.cell(0, 1))[-1] == "Nông Văn Dũng"
