"""The dashboard's target cells and marks, rendered in Python, give the HTML the templates gave."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

from baolam_portal.templatetags.portal import target_cell, target_mark

# What reports/_target_mark.html and reports/_cell.html were, each with its closing line break.
MARK = (
    '{% load i18n portal %}{% if status == "ok" %}'
    '<span class="target-mark target-ok" title="{% translate \'on target\' %}">'
    '<span aria-hidden="true">●</span><span class="visually-hidden">{% translate "on target" %}</span></span>'
    '{% elif status == "warning" %}'
    '<span class="target-mark target-warning" title="{% translate \'close to the target\' %}">'
    '<span aria-hidden="true">▲</span><span class="visually-hidden">{% translate "close to the target" %}</span></span>'
    '{% elif status == "at_risk" %}'
    '<span class="target-mark target-at_risk" title="{% translate \'below the target or at risk\' %}">'
    '<span aria-hidden="true">■</span>'
    '<span class="visually-hidden">{% translate "below the target or at risk" %}</span></span>'
    '{% elif status == "preparation" %}'
    '<span class="target-mark target-preparation" title="{% translate \'in preparation\' %}">'
    '<span aria-hidden="true">◔</span><span class="visually-hidden">{% translate "in preparation" %}</span></span>'
    "{% endif %}\n"
)
CELL = (
    '{% load portal %}<td class="text-end target-cell target-{{ cell.status }}">{% if cell.value is None %}—'
    '{% elif cell.url %}<a href="{{ cell.url }}">{{ cell.value|vn_decimal }} %</a>'
    "{% else %}{{ cell.value|vn_decimal }} %"
    "{% endif %}MARK</td>\n"
)


def _old_cell(cell):
    mark = engines["django"].from_string(MARK).render({"status": cell["status"]})
    return engines["django"].from_string(CELL).render({"cell": cell}).replace("MARK", mark)


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("status", ["ok", "warning", "at_risk", "preparation", "no_data", ""])
def test_a_mark_is_what_the_template_gave(status, language):
    with translation.override(language):
        assert target_mark(status) == engines["django"].from_string(MARK).render({"status": status})


@pytest.mark.parametrize(
    "cell",
    [
        {"value": None, "status": "no_data", "url": "/militia/members/?commune=3", "target": None},
        {"value": Decimal("97.25"), "status": "ok", "url": "/militia/members/?commune=3&x=<1>", "target": 95},
        {"value": 12.5, "status": "at_risk", "url": "", "target": 20},
        {"value": Decimal("0"), "status": "warning", "url": None, "target": 1},
        {"value": None, "status": "preparation", "url": None, "target": 100},
    ],
)
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_cell_is_what_the_template_gave(cell, language):
    with translation.override(language):
        assert target_cell(cell) == _old_cell(cell)
