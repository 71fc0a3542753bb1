"""`{% person_rows %}`, `{% member_rows %}`, `{% candidate_rows %}`: the rows of the list tables, built in Python.

Each tag stands where the table's `{% for %}` loop stood and prints the same `<tr>`s (people/tables.py says why).
"""

from django import template

from militia.tables import member_rows as build_member_rows
from people.tables import person_rows as build_person_rows
from recruitment.tables import candidate_rows as build_candidate_rows

register = template.Library()


@register.simple_tag
def person_rows(page):
    """The rows of the people list for one page."""
    return build_person_rows(page.object_list, start_index=page.start_index())


@register.simple_tag
def member_rows(page, today):
    """The rows of the militia member list for one page; `today` decides who trained this year."""
    return build_member_rows(page.object_list, start_index=page.start_index(), today=today)


@register.simple_tag
def candidate_rows(page, can_edit):
    """The rows of a campaign's candidate list for one page; `can_edit` adds the bulk form's controls."""
    return build_candidate_rows(page.object_list, start_index=page.start_index(), can_edit=can_edit)


@register.simple_tag
def person_rows_of(people):
    """The rows of the people list for a whole list (the printed one), numbered from 1."""
    return build_person_rows(people, start_index=1)
