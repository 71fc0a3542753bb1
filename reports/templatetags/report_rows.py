"""`{% indicator_rows block sheet %}`: the indicator rows of a report section, built in Python.

The tag stands where the `{% for row in block.rows %}` loop of templates/reports/_report_section.html
stood and prints the same `<tr>`s (reports/tables.py says why).
"""

from django import template

from reports.tables import indicator_rows as build_indicator_rows

register = template.Library()


@register.simple_tag
def indicator_rows(block, sheet):
    """The rows of one section's indicator table, with the roll-up column when the sheet has one."""
    return build_indicator_rows(block, sheet)
