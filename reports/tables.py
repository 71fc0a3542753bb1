"""The indicator rows of the report page, built in Python.

A district report's section carries a row per indicator and, in each, a roll-up breakdown with a line
per commune: some six hundred small rows a page, where resolving template variables was half the
render. `indicator_rows` prints byte for byte what the `{% for row in block.rows %}` loop of
templates/reports/_report_section.html printed (reports/tests/test_indicator_rows.py holds that loop).
"""

from html import escape as html_escape

from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

DASH = "—"


def _shown(value):
    """A value as `{{ value }}` prints it: localized, made a string, escaped unless marked safe."""
    if type(value) is str:  # the common case, without django's escape() and its lazy-string wrapper
        return html_escape(value)
    value = localize(value)
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _or_dash(value):
    """`{{ value|default:"—" }}`."""
    return _shown(value) if value else DASH


def indicator_rows(block, sheet):
    """The `<tr>`s of one section's indicator table: `block` is one of `report_sheet`'s sections with
    the figures `_decorate` formatted; a roll-up column when `sheet["rollup"]` (a unit with reporting
    units below it), its breakdown a line per child unit."""
    roll = sheet.get("rollup")
    if roll:
        of_children = _shown(len(roll["children"]))
        not_aggregated = (
            '\n          <td class="rollup-cell">\n            '
            '<span class="text-muted small">' + escape(gettext("not aggregated")) + "</span>"
            "\n          </td>\n          "
        )
    reason_words = escape(gettext("Reason for the change"))
    names = {}  # each child unit's escaped name by id(): the rows share the same unit objects
    parts = []
    for row in block["rows"]:
        indicator = row["indicator"]
        warnings = row.get("warnings")
        unit_of_measure = indicator.unit_of_measure
        auto_text = row.get("auto_text")
        warned = ' class="table-warning"' if warnings else ""
        parts.append(
            f'\n        <tr data-indicator="{_shown(indicator.code)}"{warned}>'
            f"\n          <td>{_shown(indicator.label)}"
            + (f' <span class="text-muted small">({_shown(unit_of_measure)})</span>' if unit_of_measure else "")
            + "</td>"
            f'\n          <td class="text-end fw-semibold value-cell">{_or_dash(row.get("value_text"))}</td>'
            f'\n          <td class="text-end text-muted last-cell">{_or_dash(row.get("last_text"))}</td>'
            '\n          <td class="text-end auto-cell">'
            + (
                f'{_shown(auto_text)}<div class="auto-note">{_shown(row.get("auto_note", ""))}</div>'
                if auto_text
                else f'<span class="text-muted">{DASH}</span>'
            )
            + "</td>\n          "
        )
        if roll:
            breakdown = row.get("breakdown")
            if breakdown:
                breakdown_lines = []
                for unit, text in breakdown:
                    name = names.get(id(unit))
                    if name is None:
                        name = names[id(unit)] = _shown(unit.name)
                    breakdown_lines.append(f'<tr><td>{name}</td><td class="text-end">{_or_dash(text)}</td></tr>')
                lines = "".join(breakdown_lines)
                parts.append(
                    '\n          <td class="rollup-cell">\n            '
                    "\n            <details>"
                    f'\n              <summary><span class="rollup-total">{_or_dash(row.get("rollup_text"))}</span> '
                    f'<span class="text-muted small">({_shown(row["rollup"]["count"])}/{of_children})</span></summary>'
                    '\n              <table class="table table-sm table-borderless mb-0 small rollup-breakdown">'
                    f"\n                {lines}"
                    "\n              </table>"
                    "\n            </details>"
                    "\n            \n          </td>\n          "
                )
            else:
                parts.append(not_aggregated)
        reason = ""
        if row.get("overridden") and row.get("reason"):
            reason = f'<div><span class="text-muted">{reason_words}:</span> {_shown(row["reason"])}</div>'
        notes = "".join(
            f'<div class="text-warning-emphasis warning-note">⚠ {_shown(warning)}</div>' for warning in warnings or ()
        )
        parts.append(
            f'\n          <td class="small notes-cell">\n            {reason}\n            {notes}\n          </td>'
            "\n        </tr>\n      "
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
