"""The .xlsx export of a period's indicator values: read back with openpyxl, scoped, guarded, audited."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import Indicator
from reports.tests.conftest import fill_report
from units.models import AuditEvent

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com","Bấm vào")'


@pytest.fixture
def filled(reports, officer, outsider):
    vq = reports["vinh_quang"]
    first_section = vq.template.sections.order_by("order", "pk").first()
    fill_report(
        vq,
        officer,
        values={"sscd_duty_shifts": Decimal(512), "defence_budget_spent": Decimal("123.5")},
        texts={first_section.pk: FORMULA},
    )
    fill_report(reports["ly_bon"], outsider, values={"sscd_duty_shifts": Decimal(340)})
    return {"section": first_section}


def _workbook(client, user, period):
    client.force_login(user)
    response = client.get(reverse("reports:period_values_xlsx", args=[period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(response.content))


def _table(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], {row[1]: row for row in rows[1:]}


def test_one_row_per_unit_and_a_column_per_indicator(client, commander, annual_period, filled):
    book = _workbook(client, commander, annual_period)
    header, rows = _table(book.worksheets[0])
    assert set(rows) == {"Bảo Lâm", "Vĩnh Quang", "Lý Bôn"}
    shifts = Indicator.objects.get(code="sscd_duty_shifts")
    budget = Indicator.objects.get(code="defence_budget_spent")
    shifts_col = header.index(f"{shifts.label} ({shifts.unit_of_measure})")
    budget_col = header.index(f"{budget.label} ({budget.unit_of_measure})")
    assert rows["Vĩnh Quang"][shifts_col] == 512  # a number, not text
    assert rows["Vĩnh Quang"][budget_col] == pytest.approx(123.5)
    assert rows["Lý Bôn"][shifts_col] == 340
    assert rows["Bảo Lâm"][shifts_col] is None
    assert rows["Vĩnh Quang"][0] == "01300"  # the unit's official code
    assert len(header) == len(set(header))  # each indicator once, though two templates share some


def test_a_narrative_that_looks_like_a_formula_is_stored_as_text(client, commander, annual_period, filled):
    book = _workbook(client, commander, annual_period)
    narratives = book.worksheets[1]
    cells = [row for row in narratives.iter_rows(min_row=2) if row[0].value == "Vĩnh Quang"]
    heading_cell = next(row for row in cells if row[1].value == filled["section"].heading)
    assert heading_cell[2].value == FORMULA
    assert heading_cell[2].data_type == "s"  # text, never a formula


def test_a_commune_officer_exports_only_their_commune(client, officer, annual_period, filled):
    book = _workbook(client, officer, annual_period)
    _header, rows = _table(book.worksheets[0])
    assert set(rows) == {"Vĩnh Quang"}
    units = {row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert units == {"Vĩnh Quang"}


def test_the_export_needs_the_export_permission(client, viewer, annual_period):
    client.force_login(viewer)
    assert client.get(reverse("reports:period_values_xlsx", args=[annual_period.pk])).status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_the_export_is_recorded_in_the_audit_trail(client, commander, annual_period, filled):
    _workbook(client, commander, annual_period)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.user == commander
    assert event.target == f"reports:period{annual_period.pk}.xlsx"


def test_an_unknown_period_is_404(client, commander, tree):
    client.force_login(commander)
    assert client.get(reverse("reports:period_values_xlsx", args=[999])).status_code == 404
