"""The .xlsx export of a period: one row per unit with a column per indicator, and the narratives.

Written with the shared portal_io helpers, so a narrative that starts with = + - @ stays text and no
spreadsheet ever evaluates what a user typed. Five queries, whatever the number of units.
"""

import io as _io
from collections import defaultdict

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from portal_io.writing import XLSX_TYPE, header_cell, safe_cell

from . import selectors
from .models import IndicatorValue, SectionIndicator, SectionText

__all__ = ["XLSX_TYPE", "period_filename", "period_values_xlsx"]

NUMBER_FORMATS = {0: "#,##0", 1: "#,##0.0", 2: "#,##0.00"}


def period_filename(period):
    return f"chi-tieu-{period.kind}-{period.year}-{period.number:02d}.xlsx"


def _number(value):
    """A stored Decimal as the number a spreadsheet holds (a whole number stays an integer)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def period_indicators(report_rows):
    """The indicators of the templates the period's reports use, in template order, each once."""
    template_ids = sorted({row["report"].template_id for row in report_rows if row["report"] is not None})
    items = (
        SectionIndicator.objects.filter(section__template_id__in=template_ids)
        .select_related("indicator")
        .order_by("section__template_id", "section__order", "section__pk", "order", "pk")
    )
    seen, indicators = set(), []
    for item in items:
        if item.indicator_id not in seen:
            seen.add(item.indicator_id)
            indicators.append(item.indicator)
    return indicators


def period_values_xlsx(*, period, user):
    """The workbook as bytes: the units the user sees (as the completeness page lists them)."""
    result = selectors.completeness(period=period, user=user)
    rows = result["rows"]
    indicators = period_indicators(rows)
    report_ids = [row["report"].pk for row in rows if row["report"] is not None]
    values = defaultdict(dict)
    for report_id, indicator_id, value in IndicatorValue.objects.filter(report_id__in=report_ids).values_list(
        "report_id", "indicator_id", "value"
    ):
        values[report_id][indicator_id] = value
    texts = (
        SectionText.objects.filter(report_id__in=report_ids)
        .exclude(text="")
        .select_related("section")
        .order_by("section__order", "section__pk")
    )
    by_report = defaultdict(list)
    for text in texts:
        by_report[text.report_id].append(text)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Indicators")[:31])
    sheet.freeze_panes = "C2"
    for index, width in enumerate([12, 24, 18] + [16] * len(indicators), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    headers = [_("Unit code"), _("Unit"), _("State")]
    headers += [f"{i.label} ({i.unit_of_measure})" if i.unit_of_measure else i.label for i in indicators]
    sheet.append([header_cell(sheet, h) for h in headers])
    for row in rows:
        unit, report = row["unit"], row["report"]
        cells = [safe_cell(sheet, unit.code), safe_cell(sheet, unit.name), safe_cell(sheet, row["state_label"])]
        stored = values.get(report.pk, {}) if report is not None else {}
        for indicator in indicators:
            cell = safe_cell(sheet, _number(stored.get(indicator.pk)))
            cell.number_format = NUMBER_FORMATS.get(indicator.decimals, "General")
            cells.append(cell)
        sheet.append(cells)

    narratives = workbook.create_sheet(_("Narratives")[:31])
    narratives.freeze_panes = "A2"
    for index, width in enumerate([24, 40, 100], start=1):
        narratives.column_dimensions[get_column_letter(index)].width = width
    narratives.append([header_cell(narratives, h) for h in (_("Unit"), _("Section"), _("Narrative"))])
    for row in rows:
        if row["report"] is None:
            continue
        for text in by_report.get(row["report"].pk, ()):
            narratives.append([safe_cell(narratives, v) for v in (row["unit"].name, text.section.heading, text.text)])
    out = _io.BytesIO()
    workbook.save(out)
    return out.getvalue()
