"""Official documents in the layout of Decree 30/2020/NĐ-CP (Appendix I): one document model (header
names, number, place and date, title, body blocks, recipients, signature) written as Word (.docx) and,
through an HTML page laid out by WeasyPrint, as PDF; several personal documents as one PDF or a .zip of
Word files.

The document itself is always in Vietnamese whatever the interface language: it is the legal text the
body issues, so its fixed words are constants here. The builders of each document (the annual report in
`reports.documents`, the recruitment papers in `recruitment.documents`, the registers in
`militia.documents`) fill the model from their records; nothing here knows a model of theirs."""

import dataclasses
import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from units.text import clean_text

# WeasyPrint logs every layout step at INFO: keep its progress out of the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"
ZIP_TYPE = "application/zip"
PRINT_CSS = "css/report_print.css"

# Decree 30/2020, Appendix I, II.1: A4, top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FONT = "Times New Roman"
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165 mm
# A landscape page (a register of many columns): the same margins along the long side.
LANDSCAPE_TEXT_WIDTH_MM = PAGE_MM[1] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 252 mm

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT_MARK = "DỰ THẢO"
RECIPIENTS_LABEL = "Nơi nhận:"
DEFAULT_SIGNER_TITLE = "CHỈ HUY TRƯỞNG"
EMPTY_FIGURE = "-"

ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
# Where a long body name is broken in the header: before the administrative level.
LEVEL_WORDS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN")
KIND_WORDS = {"province": "tỉnh", "district": "huyện", "commune": "xã", "town": "thị trấn"}


# --- The format's rules ----------------------------------------------------------------------------


def roman(number):
    """1 → I, 4 → IV, 12 → XII (section numbers; a document has fewer than 40 sections)."""
    out = ""
    for value, letters in ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def vn_figure(value, decimals=0):
    """A figure the Vietnamese way: 1234 → '1.234', 12.5 → '12,5'; none → '-'."""
    if value is None:
        return EMPTY_FIGURE
    quantum = Decimal(1).scaleb(-decimals)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def vn_date(day):
    """dd/mm/yyyy, or an empty string."""
    return day.strftime("%d/%m/%Y") if day else ""


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
    """The collective body the signer acts for: 'BAN CHỈ HUY QUÂN SỰ HUYỆN BẢO LÂM' → 'BAN CHỈ HUY',
    'ỦY BAN NHÂN DÂN XÃ LÝ BÔN' → 'ỦY BAN NHÂN DÂN'."""
    for prefix in ("BAN CHỈ HUY", "BỘ CHỈ HUY", "ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NGHĨA VỤ QUÂN SỰ"):
        if name.startswith(prefix):
            return prefix
    return name


def number_line(number, type_code, abbreviation):
    """'Số: 12/BC-BCH' (Decree 30/2020, Appendix I, I.3: the number, the type's abbreviation of
    Appendix III and the issuing body's); an unnumbered draft keeps the blank for the hand."""
    shown = f"{number:02d}" if isinstance(number, int) and number < 10 else (str(number) if number else "      ")
    return f"Số: {shown}/{type_code}-{abbreviation}" if type_code else f"Số: {shown}/{abbreviation}"


def date_line(place, day):
    """'Bảo Lâm, ngày 05 tháng 01 năm 2025' (Decree 30/2020, Appendix I, I.4): days below 10 and
    the months January and February take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def kind_word(unit):
    return KIND_WORDS.get(unit.kind.code, "")


def issuing_names(unit):
    """(parent body, issuing body, abbreviation, place, signer, recipients) of a unit's military documents:
    its issuing body when an admin set one (`unit.issuing_body`, kept by the reports app), else names
    built from the tree (Ban Chỉ huy quân sự of the unit, under its parent's)."""
    body = getattr(unit, "issuing_body", None) if unit.pk else None
    parent = unit.parent
    default_name = f"BAN CHỈ HUY QUÂN SỰ {kind_word(unit)} {unit.name}".upper()
    if parent is None:
        default_parent = ""
    elif parent.parent_id is None:
        default_parent = f"BỘ CHỈ HUY QUÂN SỰ TỈNH {parent.name}".upper()
    else:
        default_parent = f"BAN CHỈ HUY QUÂN SỰ {kind_word(parent)} {parent.name}".upper()
    return {
        "parent_name": (body and body.parent_name) or default_parent,
        "name": (body and body.name) or default_name,
        "abbreviation": (body and body.abbreviation) or ("BCH" if not unit.kind.is_commune_level else "BCHQS"),
        # Decree 30/2020, Appendix I, I.4: the place is the unit where the issuing body sits.
        "place": (body and body.place) or unit.name,
        "signer_title": (body and body.signer_title) or "",
        "signer_name": (body and body.signer_name) or "",
        "recipients": (body and body.recipients) or "",
    }


def committee_names(unit):
    """The People's Committee of a unit (Ủy ban nhân dân), which issues the orders its chair signs: no
    parent line (Decree 30/2020, Appendix I, I.2: a local authority's own name only), 'UBND' in the number."""
    return {
        "parent_name": "",
        "name": f"ỦY BAN NHÂN DÂN {kind_word(unit)} {unit.name}".upper(),
        "abbreviation": "UBND",
        "place": issuing_names(unit)["place"],
        "signer_title": "CHỦ TỊCH",
        "signer_name": "",
        "recipients": "",
    }


def default_recipients(unit):
    """The usual recipients of a unit's documents: the command above and the unit's own Party committee
    and People's Committee."""
    parent = unit.parent
    own = f"{kind_word(unit)} {unit.name}".strip()
    if parent is None:
        return [f"Cấp ủy, chính quyền {own}"]
    if parent.parent_id is None:
        above = f"Bộ CHQS {KIND_WORDS.get(parent.kind.code, 'tỉnh')} {parent.name}"
    else:
        above = f"Ban CHQS {KIND_WORDS.get(parent.kind.code, 'huyện')} {parent.name}"
    committee = "Huyện ủy" if unit.kind.code == "district" else "Đảng ủy"
    return [above, f"{committee}, UBND {own}"]


def recipient_lines(text, defaults, abbreviation):
    """'- X;' per recipient and the filing copy '- Lưu: VT, …' last (Decree 30/2020, Appendix I, II.9).
    Without recipients, `defaults`."""
    lines = [line.strip().lstrip("-–•+ ").rstrip(" ;.,") for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    archive = next((line for line in lines if line.lower().startswith("lưu")), None)
    lines = [line for line in lines if line is not archive]
    if not lines:
        lines = list(defaults)
    archive = archive or f"Lưu: VT, {abbreviation}"
    return [f"- {line};" for line in lines] + [f"- {archive}."]


def signer_lines(title, body_name, default_title=DEFAULT_SIGNER_TITLE):
    """(authority line, title): 'TM. BAN CHỈ HUY' over 'CHỈ HUY TRƯỞNG' (Decree 30/2020, Appendix I,
    I.7: TM. for a collective body). A title typed with its own first line 'KT. …', 'TL. …' or 'TM. …'
    keeps that line as the authority."""
    lines = [line.strip() for line in (title or "").splitlines() if line.strip()]
    if len(lines) > 1 and re.match(r"^(TM|KT|TL|TUQ|Q)\.", lines[0], re.IGNORECASE):
        return lines[0].upper(), " ".join(lines[1:]).upper()
    return f"TM. {short_body_name(body_name.upper())}", (" ".join(lines) or default_title).upper()


def paragraphs(text):
    """Narrative paragraphs: split on blank lines; single line breaks inside a paragraph are kept."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    return [[line.strip() for line in block.split("\n") if line.strip()] for block in blocks if block.strip()]


# --- The model -------------------------------------------------------------------------------------


@dataclass
class Heading:
    """A bold heading of the body ('I. CÔNG TÁC …'), indented like a paragraph."""

    text: str
    kind: str = "heading"


@dataclass
class Text:
    """A paragraph: lines kept apart by line breaks. `indent` sets the first-line indent of running text
    (Decree 30/2020, Appendix I, II.8); `align` is justify, left or center."""

    lines: list
    indent: bool = True
    align: str = "justify"
    bold: bool = False
    italic: bool = False
    kind: str = "text"


@dataclass
class Table:
    """A table with borders: headings repeated on every page, rows that do not break across pages.
    `widths_mm` fixes the columns; `aligns` per column: '' (left), 'c' (centre) or 'n' (right).
    `col_classes` name the columns for the print stylesheet (the report's figures)."""

    headings: tuple
    rows: list
    widths_mm: tuple
    aligns: tuple = ()
    size: int = 12
    col_classes: tuple = ()
    kind: str = "table"

    def align(self, index):
        return self.aligns[index] if index < len(self.aligns) else ""

    @property
    def cells(self):
        """Each row as (text, alignment class) pairs, for the print page."""
        return [[(value, self.align(i)) for i, value in enumerate(row)] for row in self.rows]

    @property
    def css_widths(self):
        """The columns as shares of the table's width (the PDF's `<col>` widths)."""
        total = sum(self.widths_mm) or 1
        return [f"{100 * w / total:.2f}%" for w in self.widths_mm]


@dataclass
class Section:
    """A numbered part of the body: its heading and its blocks, kept together on the print page."""

    heading: str
    blocks: list
    kind: str = "section"


@dataclass
class OfficialDocument:
    parent_lines: list
    issuer_lines: list
    number_line: str
    date_line: str
    document_type: str  # BÁO CÁO, LỆNH, DANH SÁCH, BIÊN BẢN, GIẤY CHỨNG NHẬN …
    title: str  # the subject under the type; may be empty
    blocks: list
    recipients: list  # each already ending with ';' or '.' as Decree 30 sets them
    signer_prefix: str
    signer_title: str
    signer_name: str
    file_stem: str
    file_stem_utf8: str = ""
    is_draft: bool = False
    landscape: bool = False
    national_name: str = NATIONAL_NAME
    motto: str = MOTTO
    draft_mark: str = DRAFT_MARK
    recipients_label: str = RECIPIENTS_LABEL
    # A second signature in the place of the recipients (a record signed by both parties).
    cosigner_prefix: str = ""
    cosigner_title: str = ""
    cosigner_name: str = ""

    @property
    def parent_name(self):
        return " ".join(self.parent_lines)

    @property
    def issuer_name(self):
        return " ".join(self.issuer_lines)

    @property
    def text_width_mm(self):
        return LANDSCAPE_TEXT_WIDTH_MM if self.landscape else TEXT_WIDTH_MM

    def filename(self, extension, *, utf8=False):
        return f"{(self.file_stem_utf8 or self.file_stem) if utf8 else self.file_stem}.{extension}"


def header_of(names, *, number, type_code, day, **fields):
    """The header, number, date and signature of a document from a body's names (`issuing_names` or
    `committee_names`); the remaining fields of `OfficialDocument` come as keyword arguments. Every text
    goes through `units.text.clean_text`."""
    prefix, title = signer_lines(
        fields.pop("signer_title", "") or names["signer_title"],
        names["name"],
        fields.pop("default_signer_title", DEFAULT_SIGNER_TITLE),
    )
    document = OfficialDocument(
        parent_lines=header_lines(names["parent_name"].upper()) if names["parent_name"] else [],
        issuer_lines=header_lines(names["name"].upper()),
        # A register (sổ) is kept, not issued: it carries no number (type None).
        number_line="" if type_code is None else number_line(number, type_code, names["abbreviation"]),
        date_line=date_line(names["place"], day),
        signer_prefix=fields.pop("signer_prefix", prefix),
        signer_title=title,
        signer_name=fields.pop("signer_name", "") or names["signer_name"],
        **fields,
    )
    return cleaned(document)


def cleaned(value):
    """Every text of a document through units.text.clean_text: Word refuses a control character (and a
    PDF would show a box), whether it was stored before the portal cleaned input or not."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return type(value)(cleaned(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: cleaned(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        )
    return value


# --- Word -------------------------------------------------------------------------------------------

HEADER_LEFT_MM = 70
CLOSING_LEFT_MM = 80
CELL_PADDING_MM = 1
ISSUER_RULE_MM = 25
MOTTO_RULE_MM = 57  # the width of the motto in bold 13 pt Times (measured on Liberation Serif Bold)
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


def render_docx(doc):
    """The .docx bytes of a document."""
    out = io.BytesIO()
    _word(doc).save(out)
    return out.getvalue()


def _word(doc):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    word = Document()
    _docx_fonts(word)
    section = word.sections[0]
    if doc.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_MM[1]), Mm(PAGE_MM[0])
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    _docx_page_numbers(section)
    word.core_properties.title = f"{doc.document_type} {doc.title}".strip()
    word.core_properties.author = doc.issuer_name
    word.core_properties.language = "vi-VN"
    width = doc.text_width_mm

    body = word.paragraphs[0] if word.paragraphs else word.add_paragraph()
    if doc.is_draft:
        run = _run(body, doc.draft_mark, size=13, bold=True)
        _box(run)
        body.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        body.paragraph_format.space_after = Pt(6)
    else:
        _run(body, "", size=2)

    center = WD_ALIGN_PARAGRAPH.CENTER
    columns = (HEADER_LEFT_MM, width - HEADER_LEFT_MM)
    header = _docx_table(word, 2, columns)
    left, right = header.cell(0, 0), header.cell(0, 1)
    first = True
    for line in doc.parent_lines:
        _cell_para(left, line, size=13, align=center, first=first)
        first = False
    for line in doc.issuer_lines:
        _cell_para(left, line, size=13, bold=True, align=center, first=first)
        first = False
    _rule(left, ISSUER_RULE_MM, columns[0])
    _cell_para(right, doc.national_name, size=12, bold=True, align=center, first=True)
    _cell_para(right, doc.motto, size=13, bold=True, align=center)
    _rule(right, MOTTO_RULE_MM, columns[1])
    _cell_para(header.cell(1, 0), doc.number_line, size=13, align=center, first=True, space_before=6)
    _cell_para(header.cell(1, 1), doc.date_line, size=14, italic=True, align=center, first=True, space_before=6)

    title = word.add_paragraph()
    _run(title, doc.document_type, size=14, bold=True)
    _format(title, align=center, space_before=24, keep_with_next=True, space_after=0 if doc.title else 12)
    if doc.title:
        subject = word.add_paragraph()
        _run(subject, doc.title, size=14, bold=True)
        _format(subject, align=center, space_after=12, keep_with_next=True)

    for block in doc.blocks:
        _docx_block(word, block, width)

    closing = _docx_table(word, 2, (CLOSING_LEFT_MM, width - CLOSING_LEFT_MM))
    _cant_split(closing.rows[0]._tr)
    left, right = closing.cell(0, 0), closing.cell(0, 1)
    if doc.cosigner_prefix:
        _cell_para(left, doc.cosigner_prefix, size=14, bold=True, align=center, first=True, space_before=12)
        _cell_para(left, doc.cosigner_title, size=14, bold=True, align=center)
        _cell_para(left, "", size=14, align=center, space_before=60)
        _cell_para(left, doc.cosigner_name, size=14, bold=True, align=center)
    elif doc.recipients:
        _cell_para(left, doc.recipients_label, size=12, bold=True, italic=True, first=True, space_before=12)
        for line in doc.recipients:
            _cell_para(left, line, size=11)
    _cell_para(right, doc.signer_prefix, size=14, bold=True, align=center, first=True, space_before=12)
    _cell_para(right, doc.signer_title, size=14, bold=True, align=center)
    _cell_para(right, "", size=14, align=center, space_before=60)
    _cell_para(right, doc.signer_name, size=14, bold=True, align=center)
    return word


def _docx_block(word, block, width):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    aligns = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }
    if block.kind == "section":
        _docx_block(word, Heading(block.heading), width)
        for inner in block.blocks:
            _docx_block(word, inner, width)
    elif block.kind == "heading":
        heading = word.add_paragraph()
        _run(heading, block.text, size=14, bold=True)
        _format(heading, align=WD_ALIGN_PARAGRAPH.LEFT, space_before=6, keep_with_next=True, indent=True)
    elif block.kind == "text":
        para = word.add_paragraph()
        for i, line in enumerate(block.lines):
            run = _run(para, line, size=14, bold=block.bold, italic=block.italic)
            if i < len(block.lines) - 1:
                run.add_break()
        _format(para, align=aligns[block.align], space_before=6, indent=block.indent)
    elif block.kind == "table":
        _docx_grid(word, block, width)


def _docx_grid(word, block, width):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    widths = _fit(block.widths_mm, width)
    table = _docx_table(word, len(block.rows) + 1, widths, borders=True)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    by_code = {"c": WD_ALIGN_PARAGRAPH.CENTER, "n": WD_ALIGN_PARAGRAPH.RIGHT, "": None}
    aligns = [by_code.get(block.align(i)) for i in range(len(widths))]
    table_rows = list(table.rows)
    for cell, heading in zip(table_rows[0].cells, block.headings, strict=True):
        _cell_para(cell, heading, size=block.size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, first=True)
    _repeat_header(table_rows[0]._tr)
    for table_row, row in zip(table_rows[1:], block.rows, strict=True):
        for cell, value, align in zip(table_row.cells, row, aligns, strict=True):
            _cell_para(cell, str(value), size=block.size, align=align, first=True)
        _cant_split(table_row._tr)
    spacer = word.add_paragraph()
    _run(spacer, "", size=6)


def _fit(widths_mm, width):
    """Column widths scaled down to the text width when they add up to more."""
    total = sum(widths_mm)
    if total <= width:
        return tuple(widths_mm)
    return tuple(w * width / total for w in widths_mm)


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

# A page of personal documents (one order per sheet) carries no page number; a landscape register turns
# the page.
PERSONAL_CSS = "@page { @top-center { content: none; } }"
LANDSCAPE_CSS = "@page { size: A4 landscape; }"


def render_html(docs, *, template="portal_io/documents.html", context=None, request=None, for_pdf=True):
    """The HTML of one or several documents (each on its own sheet), for the PDF by default."""
    docs = docs if isinstance(docs, list | tuple) else [docs]
    return render_to_string(template, {"docs": docs, "for_pdf": for_pdf, **(context or {})}, request=request)


def layout_pdf(docs, *, html=None, extra_css=""):
    """The documents laid out in pages by WeasyPrint from their HTML and the print stylesheet (local fonts
    only: Times New Roman, or Liberation Serif with every Vietnamese letter); `extra_css` is added last."""
    from weasyprint import CSS, HTML

    docs = docs if isinstance(docs, list | tuple) else [docs]
    stylesheets = [CSS(filename=finders.find(PRINT_CSS))]
    if docs and docs[0].landscape:
        stylesheets.append(CSS(string=LANDSCAPE_CSS))
    if len(docs) > 1:
        stylesheets.append(CSS(string=PERSONAL_CSS))
    if extra_css:
        stylesheets.append(CSS(string=extra_css))
    return HTML(string=html if html is not None else render_html(docs)).render(stylesheets=stylesheets)


def render_pdf(docs, *, extra_css=""):
    """The PDF bytes of a document, or of several as one file ready to print (each from a new sheet)."""
    return layout_pdf(docs, extra_css=extra_css).write_pdf()


def render_pdf_batch(docs, *, chunk=40, progress=None, processes=None):
    """Many personal documents as one PDF: laid out `chunk` at a time (WeasyPrint's memory grows with the
    length of one HTML page), the chunks in `processes` worker processes side by side (by default
    `settings.DOCUMENT_PROCESSES`), and joined in order; `progress(done, total)` after each chunk."""
    from django.conf import settings
    from pypdf import PdfWriter

    if len(docs) <= chunk:
        data = render_pdf(docs, extra_css=PERSONAL_CSS)
        if progress:
            progress(len(docs), len(docs))
        return data
    stylesheet = finders.find(PRINT_CSS)
    extra = PERSONAL_CSS + (LANDSCAPE_CSS if docs[0].landscape else "")
    parts = [docs[start : start + chunk] for start in range(0, len(docs), chunk)]
    htmls = [render_html(part) for part in parts]
    processes = processes or getattr(settings, "DOCUMENT_PROCESSES", 1)
    writer = PdfWriter()
    done = 0
    if processes > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Forked: the children only lay out HTML with WeasyPrint; they touch neither Django nor the database.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(processes, len(htmls)), mp_context=context) as pool:
            futures = [pool.submit(_pdf_of_html, html, stylesheet, extra) for html in htmls]
            for part, future in zip(parts, futures, strict=True):
                writer.append(io.BytesIO(future.result()))
                done += len(part)
                if progress:
                    progress(done, len(docs))
    else:
        for part, html in zip(parts, htmls, strict=True):
            writer.append(io.BytesIO(_pdf_of_html(html, stylesheet, extra)))
            done += len(part)
            if progress:
                progress(done, len(docs))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_of_html(html, stylesheet, extra_css):
    """The PDF bytes of an HTML page of documents (run in a worker process: plain arguments only)."""
    from weasyprint import CSS, HTML

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=stylesheet), CSS(string=extra_css)])


def render_docx_zip(docs, *, progress=None):
    """Many documents as a .zip of Word files, one per document, named by their file stems."""
    out = io.BytesIO()
    seen = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, doc in enumerate(docs, start=1):
            name = doc.filename("docx")
            if name in seen:
                name = f"{doc.file_stem}-{index}.docx"
            seen.add(name)
            archive.writestr(name, render_docx(doc))
            if progress and (index % 10 == 0 or index == len(docs)):
                progress(index, len(docs))
    return out.getvalue()


@dataclass
class Rendered:
    """A file made from documents: its bytes, type and name."""

    content: bytes
    content_type: str
    filename: str
    filename_utf8: str = ""
    extra: dict = field(default_factory=dict)
