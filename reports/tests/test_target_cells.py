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
    '{% elif status == "near" %}<span class="target-mark target-near" title="{% translate \'close to the target\' %}">'
    '<span aria-hidden="true">▲</span><span class="visually-hidden">{% translate "close to the target" %}</span></span>'
    '{% elif status == "below" %}<span class="target-mark target-below" title="{% translate \'below the target\' %}">'
    '<span aria-hidden="true">■</span><span class="visually-hidden">{% translate "below the target" %}</span></span>'
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
@pytest.mark.parametrize("status", ["ok", "near", "below", "none", ""])
def test_a_mark_is_what_the_template_gave(status, language):
    with translation.override(language):
        assert target_mark(status) == engines["django"].from_string(MARK).render({"status": status})


@pytest.mark.parametrize(
    "cell",
    [
        {"value": None, "status": "none", "url": "/militia/members/?commune=3", "target": None},
        {"value": Decimal("97.25"), "status": "ok", "url": "/militia/members/?commune=3&x=<1>", "target": 95},
        {"value": 12.5, "status": "below", "url": "", "target": 20},
        {"value": Decimal("0"), "status": "near", "url": None, "target": 1},
    ],
)
@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_cell_is_what_the_template_gave(cell, language):
    with translation.override(language):
        assert target_cell(cell) == _old_cell(cell)
