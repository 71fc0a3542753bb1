"""How a value of a record shows in a table cell: dates dd/mm/yyyy, numbers grouped, nothing as a dash."""

import datetime
from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def cell(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return intcomma(value)
    if isinstance(value, Decimal | float):
        return floatformat(value, -1)
    return value
