"""The indicator rows of the report page: on a commune's report and a district's with its roll-up (a line
per commune), in English and in Vietnamese, every text escaped."""

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


def render_rows(block, sheet):
    """The indicator rows of one section as the report page prints them (templates/reports/_report_section.html)."""
    row = engines["django"].get_template("reports/_report_section.html#row")
    return "".join(row.render({"row": r, "sheet": sheet}) for r in block["rows"])


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


def page_rows(response):
    """The indicator tables of a report page."""
    html = response.content.decode()
    return "".join(
        part.split("</tbody>")[0]
        for part in html.split('<table class="table table-sm table-hover mb-0 indicator-table">')[1:]
    )


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_commune_report_shows_each_indicators_row(filed, officer, language):
    response = client_for(officer, language).get(detail(filed["vinh_quang"]))
    assert response.context["sheet"]["rollup"] is None

    html = page_rows(response)

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
def test_a_district_report_shows_each_indicators_row_and_roll_up(filed, district_officer, language):
    response = client_for(district_officer, language).get(detail(filed["district"]))
    assert response.context["sheet"]["rollup"]

    html = page_rows(response)

    sessions = rows_of(html, "political_sessions")
    assert '<span class="rollup-total">12</span> <span class="text-muted small">(1/2)</span>' in sessions
    assert '<tr><td>Vĩnh Quang</td><td class="text-end">12</td></tr>' in sessions
    assert '<tr><td>Lý Bôn</td><td class="text-end">—</td></tr>' in sessions  # submitted, not approved
    assert "Số liệu huyện &lt;đối chiếu&gt;" in sessions and "warning-note" in sessions
    not_aggregated = "không tổng hợp" if language == "vi" else "not aggregated"
    assert not_aggregated in rows_of(html, "militia_party_share")
    assert '<span class="rollup-total">—</span> <span class="text-muted small">(0/2)</span>' in html


@pytest.mark.parametrize("language", ["en", "vi"])
def test_rows_escape_text_and_keep_safe_and_lazy_strings(tree, language):
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
    with translation.override(language):
        plain = render_rows(block, {"rollup": None})
        rolled_up = render_rows(block, {"rollup": {"children": [{"unit": u} for u in communes]}})
    assert "rollup-cell" not in plain and rolled_up.count('class="rollup-cell"') == 2
    for html in (plain, rolled_up):
        assert "<td>&lt;b&gt;&amp;&quot;&#x27;</td>" in html
        assert '<span class="text-muted small">(m&lt;sup&gt;2&lt;/sup&gt;)</span>' in html
        assert '<td class="text-end fw-semibold value-cell">—</td>' in html
        assert '<td class="text-end text-muted last-cell">—</td>' in html
        assert '<div><span class="text-muted">' in html and "</span> <i>đã kiểm</i></div>" in html
        assert "⚠ <b>safe</b>" in html and "⚠ a &lt; b" in html
        assert ("⚠ Đã duyệt" if language == "vi" else "⚠ Approved") in html
        assert "not shown" not in html
    assert '<tr><td>Xã &lt;mới&gt; &amp; &quot;cũ&quot;</td><td class="text-end">—</td></tr>' in rolled_up
    assert '<span class="rollup-total">5</span> <span class="text-muted small">(1/2)</span>' in rolled_up
    assert rolled_up.count("không tổng hợp" if language == "vi" else "not aggregated") == 1


def test_the_district_page_shows_the_value_and_each_communes_line(filed, district_officer):
    html = client_for(district_officer, "vi").get(detail(filed["district"])).content.decode()

    sessions = rows_of(html, "political_sessions")
    assert '<td class="text-end fw-semibold value-cell">20</td>' in sessions
    assert '<tr><td>Vĩnh Quang</td><td class="text-end">12</td></tr>' in sessions
    assert "Lý do thay đổi:</span> Số liệu huyện &lt;đối chiếu&gt;" in sessions
