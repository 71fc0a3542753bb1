"""The rows of the militia member list, built in Python (why and how: people/tables.py)."""

from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from people.tables import choice_printer, name_of, number_printer, pk_url_printer, print_date

from .models import MemberStatus, MilitiaMember


def member_rows(members, *, start_index, today):
    """The `<tr>`s of templates/militia/_member_results.html: `members` are the page's militia members,
    `start_index` the row number of the first one; a member trained in `today`'s year gets a tick."""
    detail_url = pk_url_printer("militia:member_detail")
    number = number_printer()
    position_label = choice_printer(MilitiaMember, "position")
    status_label = choice_printer(MilitiaMember, "status")
    this_year = getattr(today, "year", None)
    party = '<span class="badge text-bg-danger">' + escape(gettext("Party")) + "</span>"
    volunteer = '<span class="badge text-bg-info">' + escape(gettext("volunteer")) + "</span>"
    broad = ' <span class="text-muted small">(' + escape(gettext("broad")) + ")</span>"
    # Law 48/2019 art. 8.1: past the age limit today, so out of the strength and due to leave.
    over_age = (
        ' <span class="badge text-bg-warning" title="'
        + escape(gettext("Law 48/2019 art. 8.1: past the age of militia duty; due to leave"))
        + '">'
        + escape(gettext("past the age limit"))
        + "</span>"
    )
    rows = []
    for offset, member in enumerate(members):
        person = member.person
        trained = member.last_trained_year
        if trained == this_year:
            trained_cell = "✓"
        else:
            trained_cell = f'<span class="text-muted">{number(trained) if trained else "—"}</span>'
        status_class = "text-bg-success" if member.status == MemberStatus.ACTIVE else "text-bg-secondary"
        rows.append(
            "\n    <tr>"
            f'\n      <td class="text-muted">{number(start_index + offset)}</td>'
            f'\n      <td><a href="{detail_url(member.pk)}">{conditional_escape(person.full_name)}</a>'
            f"\n        {party if person.is_party_member else ''}"
            f"\n        {volunteer if member.is_volunteer else ''}</td>"
            f"\n      <td>{print_date(person.birth_date)}</td>"
            f"\n      <td>{name_of(member.unit)}</td>"
            f"\n      <td>{name_of(person.home_unit)}</td>"
            f"\n      <td>{conditional_escape(member.force_type)}{'' if member.is_core else broad}</td>"
            f"\n      <td>{position_label(member.position)}</td>"
            f"\n      <td>{print_date(member.joined_on)}</td>"
            f"\n      <td>{print_date(member.term_ends_on)}</td>"
            f"\n      <td>{trained_cell}</td>"
            f'\n      <td><span class="badge {status_class}">{status_label(member.status)}</span>'
            f"{over_age if today and member.status == MemberStatus.ACTIVE and member.is_over_age(today) else ''}</td>"
            "\n    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
