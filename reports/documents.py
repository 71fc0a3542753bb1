"""A report as an official document (Decree 30/2020/NĐ-CP, Appendix I): the document data built once
from a report, then written as Word (.docx) and, through the print page's HTML, as PDF.

The document itself is always in Vietnamese whatever the interface language: it is the legal text
the command issues, so its words are constants here, like the national name in `rules`."""

import dataclasses
import io
import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from units.text import clean_text

from . import rules, selectors
from .models import IndicatorValue, PeriodKind, ReportStatus, SectionIndicator, SectionText, TemplateSection

# WeasyPrint logs every layout step at INFO: keep its progress out of the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
PRINT_CSS = "css/report_print.css"

# Decree 30/2020, Appendix I, II.1: A4, top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FONT = "Times New Roman"
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165 mm

DRAFT_MARK = "DỰ THẢO"
DOCUMENT_TYPE = "BÁO CÁO"
RECIPIENTS_LABEL = "Nơi nhận:"
TABLE_HEADINGS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ này", "Kỳ trước")
DEFAULT_SIGNER_TITLE = "CHỈ HUY TRƯỞNG"
EMPTY_FIGURE = "-"

ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
# Where a long body name is broken in the header: before the administrative level.
LEVEL_WORDS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN")
KIND_WORDS = {"province": "tỉnh", "district": "huyện", "commune": "xã", "town": "thị trấn"}


def roman(number):
    """1 → I, 4 → IV, 12 → XII (section numbers; a report has fewer than 40 sections)."""
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def period_phrase(period):
    """The period as the title says it: 'năm 2024', '6 tháng đầu năm 2024', 'quý I năm 2024',
    'tháng 3 năm 2024'."""
    if period.kind == PeriodKind.HALF:
        return f"6 tháng {'đầu' if period.number == 1 else 'cuối'} năm {period.year}"
    if period.kind == PeriodKind.QUARTER:
        return f"quý {roman(period.number)} năm {period.year}"
    if period.kind == PeriodKind.MONTH:
        return f"tháng {period.number} năm {period.year}"
    return f"năm {period.year}"


def period_code(period):
    """The period in a file name: 2024, 2024-H1, 2024-Q1, 2024-M03."""
    if period.kind == PeriodKind.HALF:
        return f"{period.year}-H{period.number}"
    if period.kind == PeriodKind.QUARTER:
        return f"{period.year}-Q{period.number}"
    if period.kind == PeriodKind.MONTH:
        return f"{period.year}-M{period.number:02d}"
    return str(period.year)


def vn_figure(value, decimals=0):
    """A figure the Vietnamese way: 1234 → '1.234', 12.5 → '12,5'; none → '-'."""
    if value is None:
        return EMPTY_FIGURE
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def ascii_name(text):
    """'Vĩnh Quang' → 'Vinh-Quang': safe in any file system and in a plain Content-Disposition."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def header_lines(name):
    """A body's name on at most two lines, broken before its administrative level when it is long:
    'BAN CHỈ HUY QUÂN SỰ' / 'HUYỆN BẢO LÂM', as the header of an official document is set."""
    if len(name) <= 24:
        return [name]
    for word in LEVEL_WORDS:
        match = re.search(rf"\s{word}\s", name)
        if match and match.start() > 0:
            return [name[: match.start()].strip(), name[match.start() :].strip()]
    return [name]


def short_body_name(name):
    """The collective body the signer acts for: 'BAN CHỈ HUY QUÂN SỰ HUYỆN BẢO LÂM' → 'BAN CHỈ HUY'."""
    for prefix in ("BAN CHỈ HUY", "BỘ CHỈ HUY"):
        if name.startswith(prefix):
            return prefix
    return name


@dataclass
class Row:
    number: int
    label: str
    unit_of_measure: str
    current: str
    previous: str


@dataclass
class Section:
    numeral: str
    heading: str
    paragraphs: list
    rows: list = field(default_factory=list)

    @property
    def title(self):
        return f"{self.numeral}. {self.heading}"


@dataclass
class ReportDocument:
    parent_lines: list
    issuer_lines: list
    number_line: str
    date_line: str
    is_draft: bool
    title: str
    sections: list
    recipients: list  # each already ending with ';' or '.' as Decree 30 sets them
    signer_prefix: str
    signer_title: str
    signer_name: str
    file_stem: str
    file_stem_utf8: str
    document_type: str = DOCUMENT_TYPE
    national_name: str = rules.NATIONAL_NAME
    motto: str = rules.MOTTO
    draft_mark: str = DRAFT_MARK
    recipients_label: str = RECIPIENTS_LABEL
    table_headings: tuple = TABLE_HEADINGS

    @property
    def parent_name(self):
        return " ".join(self.parent_lines)

    @property
    def issuer_name(self):
        return " ".join(self.issuer_lines)

    def filename(self, extension, *, utf8=False):
        return f"{self.file_stem_utf8 if utf8 else self.file_stem}.{extension}"


# --- The data, built once ---------------------------------------------------------------------------


def issued_snapshot(report):
    """What the document of `report` prints that other records hold (the issuing body's names, place,
    signer and recipients; the template's title, sections and indicators with their labels, units and
    decimals; the previous period's figures), as plain data stored on the report when it is approved, so
    that later edits of those records leave the signed document as it was (`build_document`).
    Four queries, or five with a previous period; the report should come with its unit's kind, parent
    and issuing body, its period and its template loaded."""
    items = defaultdict(list)
    for item in (
        SectionIndicator.objects.filter(section__template_id=report.template_id)
        .select_related("indicator")
        .order_by("order", "pk")
    ):
        items[item.section_id].append(item.indicator)
    previous = selectors.previous_period(report.period)
    last = {}
    if previous is not None:
        last = dict(
            IndicatorValue.objects.filter(report__period=previous, report__unit_id=report.unit_id).values_list(
                "indicator_id", "value"
            )
        )
    sections = []
    for section in TemplateSection.objects.filter(template_id=report.template_id).order_by("order", "pk"):
        rows = [
            {
                "indicator": indicator.pk,
                "label": indicator.label,
                "unit_of_measure": indicator.unit_of_measure,
                "decimals": indicator.decimals,
                "previous": None if last.get(indicator.pk) is None else str(last[indicator.pk]),
            }
            for indicator in items[section.pk]
        ]
        sections.append({"section": section.pk, "heading": section.heading, "rows": rows})
    names = rules.issuing_names(report.unit)
    # What the document would otherwise derive from other records: the usual recipients from the unit
    # tree's names, the signer from the approver's account.
    names["recipients"] = names["recipients"] or "\n".join(_default_recipients(report.unit))
    if not names["signer_name"] and report.approved_by is not None:
        names["signer_name"] = report.approved_by.get_full_name()
    return {"names": names, "title": report.template.title, "sections": sections}


def _figure(text):
    return None if text is None else Decimal(text)


def _live_sections(report):
    """(heading, text, rows) per section, read from the template and the records as they are now."""
    sheet = selectors.report_sheet_cached(report, with_live=False)
    for block in sheet["sections"]:
        rows = [
            (
                row["indicator"].label,
                row["indicator"].unit_of_measure,
                vn_figure(row["shown_value"], row["indicator"].decimals),
                vn_figure(row["last"], row["indicator"].decimals),
            )
            for row in block["rows"]
        ]
        yield block["section"].heading, block["text"], rows


def _issued_sections(report, issued):
    """(heading, text, rows) per section as the report was approved: the labels of its snapshot and the
    report's own figures and narratives (which cannot change while it stays approved)."""
    values = dict(IndicatorValue.objects.filter(report=report).values_list("indicator_id", "value"))
    texts = dict(SectionText.objects.filter(report=report).values_list("section_id", "text"))
    for section in issued["sections"]:
        rows = [
            (
                row["label"],
                row["unit_of_measure"],
                vn_figure(values.get(row["indicator"]), row["decimals"]),
                vn_figure(_figure(row["previous"]), row["decimals"]),
            )
            for row in section["rows"]
        ]
        yield section["heading"], texts.get(section["section"], ""), rows


def build_document(report, *, today=None):
    """The document of a report. The report should come with unit (kind, parent, issuing_body),
    period, template and approved_by loaded; the sheet then costs a fixed number of queries.
    An approved report prints what it was approved with (`issued_snapshot`); a draft reads the
    issuing body and the template as they are now."""
    unit, period = report.unit, report.period
    approved = report.status == ReportStatus.APPROVED
    issued = report.issued if approved else None
    names = issued["names"] if issued else rules.issuing_names(unit)
    # Decree 30/2020, Appendix I, I.4: the date the document is signed; a draft shows today.
    signed = approved and report.approved_at
    day = timezone.localdate(report.approved_at) if signed else (today or timezone.localdate())
    blocks = _issued_sections(report, issued) if issued else _live_sections(report)
    sections = []
    for index, (heading, text, rows) in enumerate(blocks, start=1):
        sections.append(
            Section(
                numeral=roman(index),
                heading=heading.upper(),
                paragraphs=paragraphs(text),
                rows=[Row(n, *row) for n, row in enumerate(rows, start=1)],
            )
        )
    signer_prefix, signer_title = _signer(report.signer_title or names["signer_title"], names["name"])
    signer_name = report.signer_name or names["signer_name"]
    if not signer_name and approved and report.approved_by is not None:
        signer_name = report.approved_by.get_full_name()
    stem = f"BC-{period_code(period)}"
    document = ReportDocument(
        parent_lines=header_lines(names["parent_name"].upper()) if names["parent_name"] else [],
        issuer_lines=header_lines(names["name"].upper()),
        number_line=rules.number_line(report.doc_number if approved else None, names["abbreviation"]),
        date_line=rules.date_line(names["place"], day),
        is_draft=not approved,
        title=(issued["title"] if issued else report.template.title).replace("{period}", period_phrase(period)),
        sections=sections,
        recipients=recipient_lines(report.recipients or names["recipients"], unit, names["abbreviation"]),
        signer_prefix=signer_prefix,
        signer_title=signer_title,
        signer_name=signer_name,
        file_stem=f"{stem}-{ascii_name(unit.name)}",
        file_stem_utf8=f"{stem}-{unit.name.replace(' ', '-')}",
    )
    return _cleaned(document)


def _cleaned(value):
    """Every text of the document through units.text.clean_text: Word refuses a control character (and a
    PDF would show a box), whether it was stored before the portal cleaned input or not."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_cleaned(item) for item in value)
    if dataclasses.is_dataclass(value):
        return dataclasses.replace(
            value, **{f.name: _cleaned(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        )
    return value


def paragraphs(text):
    """Narrative paragraphs: split on blank lines; single line breaks inside a paragraph are kept."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [[line.strip() for line in block.split("\n") if line.strip()] for block in blocks if block.strip()]


def recipient_lines(text, unit, abbreviation):
    """'- X;' per recipient and the filing copy '- Lưu: VT, …' last (Decree 30/2020, Appendix I, II.9).
    Without recipients, the body above and the unit's own Party committee and People's Committee."""
    lines = [line.strip().lstrip("-–•+ ").rstrip(" ;.,") for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    archive = next((line for line in lines if line.lower().startswith("lưu")), None)
    lines = [line for line in lines if line is not archive]
    if not lines:
        lines = _default_recipients(unit)
    archive = archive or f"Lưu: VT, {abbreviation}"
    return [f"- {line};" for line in lines] + [f"- {archive}."]


def _default_recipients(unit):
    parent = unit.parent
    own = f"{KIND_WORDS.get(unit.kind.code, '')} {unit.name}".strip()
    if parent is None:
        return [f"Cấp ủy, chính quyền {own}"]
    if parent.parent_id is None:
        above = f"Bộ CHQS {KIND_WORDS.get(parent.kind.code, 'tỉnh')} {parent.name}"
    else:
        above = f"Ban CHQS {KIND_WORDS.get(parent.kind.code, 'huyện')} {parent.name}"
    committee = "Huyện ủy" if unit.kind.code == "district" else "Đảng ủy"
    return [above, f"{committee}, UBND {own}"]


def _signer(title, body_name):
    """(authority line, title): 'TM. BAN CHỈ HUY' over 'CHỈ HUY TRƯỞNG'. A title typed with its own
    first line 'KT. …', 'TL. …' or 'TM. …' keeps that line as the authority."""
    lines = [line.strip() for line in (title or "").splitlines() if line.strip()]
    if len(lines) > 1 and re.match(r"^(TM|KT|TL|TUQ|Q)\.", lines[0], re.IGNORECASE):
        return lines[0].upper(), " ".join(lines[1:]).upper()
    return f"TM. {short_body_name(body_name.upper())}", (" ".join(lines) or DEFAULT_SIGNER_TITLE).upper()


# --- Word -------------------------------------------------------------------------------------------

HEADER_COLUMNS_MM = (70, TEXT_WIDTH_MM - 70)
CLOSING_COLUMNS_MM = (80, TEXT_WIDTH_MM - 80)
TABLE_COLUMNS_MM = (12, 85, 24, 22, 22)
CELL_PADDING_MM = 1
ISSUER_RULE_MM = 25
# The schema order of a table's properties: Word refuses a file whose elements are out of order.
TBL_PR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
MOTTO_RULE_MM = 57  # the width of the motto in bold 13 pt Times (measured on Liberation Serif Bold)


def render_docx(doc):
    """The .docx bytes of a document."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    word = Document()
    _docx_fonts(word)
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    _docx_page_numbers(section)
    word.core_properties.title = f"{doc.document_type} {doc.title}"
    word.core_properties.author = doc.issuer_name
    word.core_properties.language = "vi-VN"

    body = word.paragraphs[0] if word.paragraphs else word.add_paragraph()
    if doc.is_draft:
        run = _run(body, doc.draft_mark, size=13, bold=True)
        _box(run)
        body.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        body.paragraph_format.space_after = Pt(6)
    else:
        _run(body, "", size=2)

    center = WD_ALIGN_PARAGRAPH.CENTER
    header = _docx_table(word, 2, HEADER_COLUMNS_MM)
    left, right = header.cell(0, 0), header.cell(0, 1)
    first = True
    for line in doc.parent_lines:
        _cell_para(left, line, size=13, align=center, first=first)
        first = False
    for line in doc.issuer_lines:
        _cell_para(left, line, size=13, bold=True, align=center, first=first)
        first = False
    _rule(left, ISSUER_RULE_MM, HEADER_COLUMNS_MM[0])
    _cell_para(right, doc.national_name, size=12, bold=True, align=center, first=True)
    _cell_para(right, doc.motto, size=13, bold=True, align=center)
    _rule(right, MOTTO_RULE_MM, HEADER_COLUMNS_MM[1])
    _cell_para(header.cell(1, 0), doc.number_line, size=13, align=center, first=True, space_before=6)
    _cell_para(header.cell(1, 1), doc.date_line, size=14, italic=True, align=center, first=True, space_before=6)

    title = word.add_paragraph()
    _run(title, doc.document_type, size=14, bold=True)
    _format(title, align=center, space_before=24, keep_with_next=True)
    subject = word.add_paragraph()
    _run(subject, doc.title, size=14, bold=True)
    _format(subject, align=center, space_after=12, keep_with_next=True)

    for part in doc.sections:
        heading = word.add_paragraph()
        _run(heading, part.title, size=14, bold=True)
        _format(heading, align=WD_ALIGN_PARAGRAPH.LEFT, space_before=6, keep_with_next=True, indent=True)
        for lines in part.paragraphs:
            para = word.add_paragraph()
            for i, line in enumerate(lines):
                run = _run(para, line, size=14)
                if i < len(lines) - 1:
                    run.add_break()
            _format(para, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_before=6, indent=True)
        if part.rows:
            _docx_figures(word, doc, part.rows)

    closing = _docx_table(word, 2, CLOSING_COLUMNS_MM)
    closing_row = closing.rows[0]._tr
    _cant_split(closing_row)
    left, right = closing.cell(0, 0), closing.cell(0, 1)
    _cell_para(left, doc.recipients_label, size=12, bold=True, italic=True, first=True, space_before=12)
    for line in doc.recipients:
        _cell_para(left, line, size=11)
    _cell_para(right, doc.signer_prefix, size=14, bold=True, align=center, first=True, space_before=12)
    _cell_para(right, doc.signer_title, size=14, bold=True, align=center)
    _cell_para(right, "", size=14, align=center, space_before=60)
    _cell_para(right, doc.signer_name, size=14, bold=True, align=center)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _docx_fonts(word):
    """Times New Roman everywhere, including the east-Asian and complex-script slots, in Vietnamese."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    styles_root = word.styles.element
    defaults = styles_root.find(qn("w:docDefaults"))
    targets = [normal.element.get_or_add_rPr()]
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            targets.append(run_defaults.find(qn("w:rPr")))
    for rpr in targets:
        fonts = rpr.get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = rpr.makeelement(qn("w:lang"), {})
            rpr.append(lang)
        lang.set(qn("w:val"), "vi-VN")


def _docx_page_numbers(section):
    """Decree 30/2020, Appendix I, II.10: page numbers centred in the top margin, from page 2 on."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _docx_figures(word, doc, rows):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = _docx_table(word, len(rows) + 1, TABLE_COLUMNS_MM, borders=True)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    table_rows = list(table.rows)
    for cell, heading in zip(table_rows[0].cells, doc.table_headings, strict=True):
        _cell_para(cell, heading, size=12, bold=True, align=center, first=True)
    _repeat_header(table_rows[0]._tr)
    aligns = (center, None, center, right, right)
    for table_row, row in zip(table_rows[1:], rows, strict=True):
        values = (str(row.number), row.label, row.unit_of_measure, row.current, row.previous)
        for cell, value, align in zip(table_row.cells, values, aligns, strict=True):
            _cell_para(cell, value, size=12, align=align, first=True)
        _cant_split(table_row._tr)
    spacer = word.add_paragraph()
    _run(spacer, "", size=6)


def _docx_table(word, n_rows, widths_mm, *, borders=False):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = word.add_table(rows=n_rows, cols=len(widths_mm))
    table.autofit = False  # w:tblLayout fixed: the widths below hold
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    width.set(qn("w:type"), "dxa")
    tbl_pr.insert_element_before(width, *TBL_PR_ORDER[TBL_PR_ORDER.index("w:tblW") + 1 :])
    edges = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if borders:
            element.set(qn("w:val"), "single")
            element.set(qn("w:sz"), "4")
            element.set(qn("w:color"), "000000")
        else:
            element.set(qn("w:val"), "nil")
        edges.append(element)
    tbl_pr.insert_element_before(edges, *TBL_PR_ORDER[TBL_PR_ORDER.index("w:tblBorders") + 1 :])
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(int(Mm(CELL_PADDING_MM).twips)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.insert_element_before(margins, *TBL_PR_ORDER[TBL_PR_ORDER.index("w:tblCellMar") + 1 :])
    for column, mm in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(mm)
    # Row by row: `table.cell()` and `column.cells` rebuild the whole grid at every call.
    for row in table.rows:
        for cell, mm in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(mm)
    return table


def _cell_para(cell, text, *, size, bold=False, italic=False, align=None, first=False, space_before=0):
    para = cell.paragraphs[0] if first else cell.add_paragraph()
    _run(para, text, size=size, bold=bold, italic=italic)
    _format(para, align=align, space_before=space_before)
    return para


def _run(para, text, *, size, bold=False, italic=False):
    from docx.shared import Pt

    run = para.add_run(clean_text(text))
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    return run


def _format(para, *, align=None, space_before=0, space_after=0, keep_with_next=False, indent=False):
    from docx.shared import Mm, Pt

    fmt = para.paragraph_format
    if align is not None:
        para.alignment = align
    # Normal already has no space around paragraphs: set only what differs (half the cost of a table).
    if space_before:
        fmt.space_before = Pt(space_before)
    if space_after:
        fmt.space_after = Pt(space_after)
    if keep_with_next:
        fmt.keep_with_next = True
    if indent:
        # Decree 30/2020, Appendix I, II.8: first line indented 1 cm to 1.27 cm, lines 1 to 1.5 apart.
        fmt.first_line_indent = Mm(12.7)
        fmt.line_spacing = 1.15


def _rule(cell, width_mm, cell_width_mm):
    """A short centred rule under a header block: the top border of a tiny paragraph whose indents
    leave `width_mm` of line."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    para = cell.add_paragraph()
    side = max((cell_width_mm - 2 * CELL_PADDING_MM - width_mm) / 2, 0)
    fmt = para.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_before = Pt(1)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    _run(para, "", size=1)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    para._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr", "w:pPrChange"
    )


def _box(run):
    """A border around a run (the draft mark)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "000000")):
        border.set(qn(key), value)
    run._r.get_or_add_rPr().append(border)


def _repeat_header(tr):
    from docx.oxml import OxmlElement

    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cant_split(tr):
    from docx.oxml import OxmlElement

    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


# --- HTML and PDF -----------------------------------------------------------------------------------


def render_html(doc, *, request=None, report=None, for_pdf=False):
    """The print page; for the PDF without its toolbar, stylesheet link and script."""
    context = {"doc": doc, "report": report, "for_pdf": for_pdf}
    return render_to_string("reports/print.html", context, request=request)


def layout_pdf(doc, *, extra_css=""):
    """The document laid out in pages by WeasyPrint from the print page and its stylesheet (local fonts
    only: Times New Roman, or Liberation Serif with every Vietnamese letter); `extra_css` is added last."""
    from weasyprint import CSS, HTML

    html = render_html(doc, for_pdf=True)
    stylesheets = [CSS(filename=finders.find(PRINT_CSS))]
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    return HTML(string=html).render(stylesheets=stylesheets)


def render_pdf(doc):
    """The PDF bytes of a document."""
    return layout_pdf(doc).write_pdf()
