"""A report as an official document (Decree 30/2020/NĐ-CP, Appendix I): the document data built once
from a report as `portal_io.documents.OfficialDocument`, then written as Word (.docx) and, through the
print page's HTML, as PDF by the shared writer.

The document itself is always in Vietnamese whatever the interface language: it is the legal text
the command issues, so its words are constants here, like the national name in `rules`."""

from collections import defaultdict
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from portal_io import documents as official
from portal_io.documents import (  # noqa: F401 - the report's names for the shared format rules
    DOCX_TYPE,
    PDF_TYPE,
    ascii_name,
    header_lines,
    paragraphs,
    roman,
    short_body_name,
    vn_figure,
)

from . import rules, selectors
from .models import IndicatorValue, PeriodKind, ReportStatus, SectionIndicator, SectionText, TemplateSection

DOCUMENT_TYPE = "BÁO CÁO"
TABLE_HEADINGS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Kỳ này", "Kỳ trước")
TABLE_COLUMNS_MM = (12, 85, 24, 22, 22)
TABLE_ALIGNS = ("c", "", "c", "n", "n")
TABLE_COL_CLASSES = ("col-no", "col-label", "col-unit", "col-value", "col-value")


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
        inner = [official.Text(lines) for lines in paragraphs(text)]
        if rows:
            inner.append(
                official.Table(
                    headings=TABLE_HEADINGS,
                    rows=[(str(n), *row) for n, row in enumerate(rows, start=1)],
                    widths_mm=TABLE_COLUMNS_MM,
                    aligns=TABLE_ALIGNS,
                    col_classes=TABLE_COL_CLASSES,
                )
            )
        sections.append(official.Section(heading=f"{roman(index)}. {heading.upper()}", blocks=inner))
    signer_name = report.signer_name or names["signer_name"]
    if not signer_name and approved and report.approved_by is not None:
        signer_name = report.approved_by.get_full_name()
    stem = f"BC-{period_code(period)}"
    return official.header_of(
        names,
        number=report.doc_number if approved else None,
        type_code=rules.REPORT_TYPE_CODE,
        day=day,
        signer_title=report.signer_title,
        signer_name=signer_name,
        is_draft=not approved,
        document_type=DOCUMENT_TYPE,
        title=(issued["title"] if issued else report.template.title).replace("{period}", period_phrase(period)),
        blocks=sections,
        recipients=recipient_lines(report.recipients or names["recipients"], unit, names["abbreviation"]),
        file_stem=f"{stem}-{ascii_name(unit.name)}",
        file_stem_utf8=f"{stem}-{unit.name.replace(' ', '-')}",
    )


def recipient_lines(text, unit, abbreviation):
    """'- X;' per recipient and the filing copy '- Lưu: VT, …' last (Decree 30/2020, Appendix I, II.9).
    Without recipients, the body above and the unit's own Party committee and People's Committee."""
    return official.recipient_lines(text, official.default_recipients(unit), abbreviation)


def _default_recipients(unit):
    return official.default_recipients(unit)


# --- Word, HTML and PDF: the shared writer ----------------------------------------------------------

render_docx = official.render_docx


def render_html(doc, *, request=None, report=None, for_pdf=False):
    """The print page; for the PDF without its toolbar, stylesheet link and script."""
    context = {"doc": doc, "report": report, "for_pdf": for_pdf}
    return render_to_string("reports/print.html", context, request=request)


def layout_pdf(doc, *, extra_css=""):
    """The document laid out in pages by WeasyPrint from the print page and its stylesheet."""
    return official.layout_pdf(doc, html=render_html(doc, for_pdf=True), extra_css=extra_css)


def render_pdf(doc):
    """The PDF bytes of a document."""
    return layout_pdf(doc).write_pdf()
