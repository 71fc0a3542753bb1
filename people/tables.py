"""The rows of the people list, built in Python, and the cell printers the other list tables share.

The template language took 0.1–0.2 ms a row to resolve its variables, 3–5 ms a page of 25; the builders
here and in militia/tables.py and recruitment/tables.py print the same `<tr>`s, byte for byte
(units/tests/test_rows.py renders both), in 0.3–0.5 ms a page. Each row keeps the loop's own whitespace:
the tags of units/templatetags/rows.py stand where the loops stood.

Words are translated once a page with the templates' msgids and escaped; `{% translate %}` printed them
unescaped, which is the same text while the catalog's words hold no HTML character.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .models import Person

# A pk no table shows: reversed once, the address is split around it.
_PLACEHOLDER_PK = 987654321987654321


def number_printer():
    """`{{ value }}` for an integer: localized, which is plain digits unless thousands are grouped."""
    return localize if settings.USE_THOUSAND_SEPARATOR else str


def print_date(day):
    """`{{ day|date:"d/m/Y" }}` for a date (the lists show DateFields only); empty for none."""
    if day is None:
        return ""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def pk_url_printer(view_name):
    """`{% url view_name pk %}` for each pk of a page, with one `reverse` instead of one a row."""
    address = reverse(view_name, args=[_PLACEHOLDER_PK])
    head, tail = (escape(part) for part in address.split(str(_PLACEHOLDER_PK)))
    return lambda pk: f"{head}{pk}{tail}"


def choice_printer(model, field_name):
    """`{{ obj.get_<field_name>_display }}` for each object of a page: the labels translated once, not once a
    row (`get_FOO_display` hashes every lazy label of the field on every call, some 18 µs)."""
    labels = {value: conditional_escape(label) for value, label in model._meta.get_field(field_name).flatchoices}
    return lambda value: labels[value] if value in labels else conditional_escape(value)


def name_of(obj):
    """`{{ obj.name }}`, empty when there is no object (a template prints nothing for a missing one)."""
    return "" if obj is None else conditional_escape(obj.name)


def person_rows(people, *, start_index):
    """The `<tr>`s of templates/people/_results.html: `people` are the page's persons, `start_index` the
    row number of the first one."""
    detail_url = pk_url_printer("people:detail")
    number = number_printer()
    sex_label = choice_printer(Person, "sex")
    party = '<span class="badge text-bg-danger">' + escape(gettext("Party")) + "</span>"
    rows = []
    for offset, person in enumerate(people):
        home = person.home_unit
        commune = home if home.kind.is_commune_level else home.parent
        rows.append(
            "\n    <tr>"
            f'\n      <td class="text-muted">{number(start_index + offset)}</td>'
            f'\n      <td><a href="{detail_url(person.pk)}">{conditional_escape(person.full_name)}</a></td>'
            f"\n      <td>{print_date(person.birth_date)}</td>"
            f"\n      <td>{sex_label(person.sex)}</td>"
            f"\n      <td>{name_of(person.ethnicity)}</td>"
            f"\n      <td>{conditional_escape(home.name)}</td>"
            f"\n      <td>{name_of(commune)}</td>"
            f"\n      <td>{party if person.is_party_member else ''}</td>"
            "\n    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
