"""The indicator rows of the report page, built in Python, print what the template loop printed:
on a commune's report and a district's with its roll-up, in English and in Vietnamese."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from reports import selectors, services
from reports.models import Indicator, Report
from reports.tests.conftest import fill_report
from units.models import Unit

pytestmark = pytest.mark.django_db

# The loop of templates/reports/_report_section.html that `{% indicator_rows %}` took the place of.
OLD_LOOP = """{% load i18n %}{% for row in block.rows %}
        <tr data-indicator="{{ row.indicator.code }}"{% if row.warnings %} class="table-warning"{% endif %}>
          <td>{{ row.indicator.label }}{% if row.indicator.unit_of_measure %} <span class="text-muted small">({{ row.indicator.unit_of_measure }})</span>{% endif %}</td>
          <td class="text-end fw-semibold value-cell">{{ row.value_text|default:"—" }}</td>
          <td class="text-end text-muted last-cell">{{ row.last_text|default:"—" }}</td>
          <td class="text-end auto-cell">{% if row.auto_text %}{{ row.auto_text }}<div class="auto-note">{{ row.auto_note }}</div>{% else %}<span class="text-muted">—</span>{% endif %}</td>
          {% if sheet.rollup %}
          <td class="rollup-cell">
            {% if row.breakdown %}
            <details>
              <summary><span class="rollup-total">{{ row.rollup_text|default:"—" }}</span> <span class="text-muted small">({{ row.rollup.count }}/{{ sheet.rollup.children|length }})</span></summary>
              <table class="table table-sm table-borderless mb-0 small rollup-breakdown">
                {% for unit, text in row.breakdown %}<tr><td>{{ unit.name }}</td><td class="text-end">{{ text|default:"—" }}</td></tr>{% endfor %}
              </table>
            </details>
            {% else %}<span class="text-muted small">{% translate "not aggregated" %}</span>{% endif %}
          </td>
          {% endif %}
          <td class="small notes-cell">
            {% if row.overridden and row.reason %}<div><span class="text-muted">{% translate "Reason for the change" %}:</span> {{ row.reason }}</div>{% endif %}
            {% for warning in row.warnings %}<div class="text-warning-emphasis warning-note">⚠ {{ warning }}</div>{% endfor %}
          </td>
        </tr>
      {% endfor %}"""  # noqa: E501 (the template as it was, long lines included)
NEW_TAG = "{% load report_rows %}{% indicator_rows block sheet %}"


def render(source, block, sheet):
    return engines["django"].from_string(source).render({"block": block, "sheet": sheet})


def client_for(user, language):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def detail(report):
    return reverse("reports:report_detail", args=[report.pk])


def save(report, user, values):
    """Save a draft as the form does, with the given values (code -> (value, reason)); every other
    automatic figure accepted as it is."""
    report = Report.objects.get(pk=report.pk)
    live = {k: v for k, (v, _note) in selectors.live_values(report).items()}
    ids = {i.code: i.pk for i in Indicator.objects.all()}
    draft = services.Draft(
        texts={s.pk: f"Nội dung mục {s.order}" for s in report.template.sections.all()},
        values={ids[code]: value for code, value in values.items()},
    )
    for indicator_id, value in live.items():
        draft.values.setdefault(indicator_id, (value, ""))
    return services.report_save(user=user, report=report, version=report.version, draft=draft, live=live)


@pytest.fixture
def filed(tree, reports, officer, outsider, commander, district_officer):
    """Vĩnh Quang approved (with last year's report), Lý Bôn submitted only, the district saved: an
    indicator whose label needs escaping, one without a unit, warnings and changed automatic figures."""
    Indicator.objects.filter(code="political_sessions").update(label="Buổi <b>sinh hoạt</b> & \"chính trị\" 'A'")
    Indicator.objects.filter(code="defence_exercises").update(unit_of_measure="")
    last_year = services.period_create(kind="year", year=2023, due_date=datetime.date(2023, 12, 15))
    services.period_open(period=last_year)
    fill_report(
        Report.objects.get(period=last_year, unit=tree["vinh_quang"]), officer, values={"political_sessions": 9}
    )
    vq = save(
        reports["vinh_quang"],
        officer,
        {
            "political_sessions": (Decimal(12), ""),
            "training_good_rate": (Decimal(80), "Theo biên bản kiểm tra"),
            "safety_incidents": (Decimal(3), "Theo biên bản"),  # above the maximum of 0
            "militia_active": (Decimal(-5), 'Theo sổ <quản lý> & "danh sách"'),  # below 0 and far from the figure
        },
    )
    services.report_submit(user=officer, report=vq)
    services.report_approve(user=commander, report=vq)
    lb = save(reports["ly_bon"], outsider, {"political_sessions": (Decimal(1234), "")})
    services.report_submit(user=outsider, report=lb)
    save(reports["district"], district_officer, {"political_sessions": (Decimal(20), "Số liệu huyện <đối chiếu>")})
    return reports


def rows_of(html, code):
    return html.split(f'data-indicator="{code}"')[1].split("\n        </tr>")[0]


def assert_same_rows(sheet, language):
    """Every section's rows, through the tag and through the old loop, in `language`; the tag's output."""
    printed = []
    with translation.override(language):
        for block in sheet["sections"]:
            new = render(NEW_TAG, block, sheet)
            assert new == render(OLD_LOOP, block, sheet)
            printed.append(new)
    return "".join(printed)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_commune_report_prints_the_rows_the_template_printed(filed, officer, language):
    response = client_for(officer, language).get(detail(filed["vinh_quang"]))
    sheet = response.context["sheet"]
    assert sheet["rollup"] is None

    html = assert_same_rows(sheet, language)

    assert "<details>" not in html and "rollup-cell" not in html
    sessions = rows_of(html, "political_sessions")
    assert "<td>Buổi &lt;b&gt;sinh hoạt&lt;/b&gt; &amp; &quot;chính trị&quot; &#x27;A&#x27; <span" in sessions
    assert '<td class="text-end fw-semibold value-cell">12</td>' in sessions
    assert '<td class="text-end text-muted last-cell">9</td>' in sessions  # last year
    assert '<span class="text-muted small">(' not in rows_of(html, "defence_exercises")  # no unit of measure
    militia = rows_of(html, "militia_active")
    assert ' class="table-warning"' in militia and militia.count("warning-note") == 2
    assert "Theo sổ &lt;quản lý&gt; &amp; &quot;danh sách&quot;" in militia
    assert ("Lý do thay đổi" if language == "vi" else "Reason for the change") in militia
    assert '<td class="text-end fw-semibold value-cell">—</td>' in html  # a value left empty


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_district_report_prints_the_rows_and_roll_up_the_template_printed(filed, district_officer, language):
    response = client_for(district_officer, language).get(detail(filed["district"]))
    sheet = response.context["sheet"]
    assert sheet["rollup"]

    html = assert_same_rows(sheet, language)

    sessions = rows_of(html, "political_sessions")
    assert '<span class="rollup-total">12</span> <span class="text-muted small">(1/2)</span>' in sessions
    assert '<tr><td>Vĩnh Quang</td><td class="text-end">12</td></tr>' in sessions
    assert '<tr><td>Lý Bôn</td><td class="text-end">—</td></tr>' in sessions  # submitted, not approved
    assert "Số liệu huyện &lt;đối chiếu&gt;" in sessions and "warning-note" in sessions
    not_aggregated = "không tổng hợp" if language == "vi" else "not aggregated"
    assert not_aggregated in rows_of(html, "militia_party_share")
    assert '<span class="rollup-total">—</span> <span class="text-muted small">(0/2)</span>' in html


@pytest.mark.parametrize("language", ["en", "vi"])
def test_made_up_rows_with_lazy_and_safe_strings_print_as_the_template_did(tree, language):
    indicator = Indicator(code="x-1", label="<b>&\"'", unit_of_measure="", decimals=0)
    measured = Indicator(code="x-2", label="Đo", unit_of_measure="m<sup>2</sup>", decimals=2)
    communes = [tree["vinh_quang"], Unit(name='Xã <mới> & "cũ"')]
    block = {
        "rows": [
            {
                "indicator": indicator,
                "value_text": "",
                "last_text": None,
                "auto_text": "1.234",
                "auto_note": gettext_lazy("Automatic figure when last saved"),
                "overridden": True,
                "reason": mark_safe("<i>đã kiểm</i>"),
                "warnings": [mark_safe("<b>safe</b>"), "a < b", gettext_lazy("Approved")],
                "rollup": {"count": 1, "total": Decimal(5), "per_child": {}},
                "rollup_text": "5",
                "breakdown": [(communes[0], "5"), (communes[1], "")],
            },
            {
                "indicator": measured,
                "value_text": "3,50",
                "last_text": "3,00",
                "auto_text": "",
                "auto_note": "",
                "overridden": False,
                "reason": "not shown",
                "warnings": [],
                "rollup": None,
            },
        ]
    }
    for sheet in ({"rollup": None}, {"rollup": {"children": [{"unit": u} for u in communes]}}):
        with translation.override(language):
            assert render(NEW_TAG, block, sheet) == render(OLD_LOOP, block, sheet)


def test_the_district_page_shows_the_value_and_each_communes_line(filed, district_officer):
    html = client_for(district_officer, "vi").get(detail(filed["district"])).content.decode()

    sessions = rows_of(html, "political_sessions")
    assert '<td class="text-end fw-semibold value-cell">20</td>' in sessions
    assert '<tr><td>Vĩnh Quang</td><td class="text-end">12</td></tr>' in sessions
    assert "Lý do thay đổi:</span> Số liệu huyện &lt;đối chiếu&gt;" in sessions
