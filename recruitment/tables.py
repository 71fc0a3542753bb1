"""The rows of the candidate list, built in Python (why and how: people/tables.py)."""

from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from people.tables import choice_printer, name_of, number_printer, pk_url_printer, print_date

from .models import Candidate, Stage

# The badge of each stage: green once in, grey once out, light while under way.
_STAGE_CLASSES = {
    Stage.APPROVED.value: "text-bg-success",
    Stage.HANDED_OVER.value: "text-bg-success",
    Stage.DEFERRED.value: "text-bg-secondary",
    Stage.EXEMPT.value: "text-bg-secondary",
    Stage.NOT_SELECTED.value: "text-bg-secondary",
}
_UNDER_WAY_CLASS = "text-bg-light border"
_HEALTH_CLASS_OPTIONS = '<option value="">—</option>' + "".join(f'<option value="{n}">{n}</option>' for n in "123456")


def candidate_rows(candidates, *, start_index, can_edit):
    """The `<tr>`s of the table in templates/recruitment/candidate_list.html: `candidates` are the page's
    candidates, `start_index` the row number of the first one; with `can_edit`, each row has the bulk
    form's tick box and a new health class select."""
    detail_url = pk_url_printer("recruitment:candidate_detail")
    number = number_printer()
    duplicate = '<span class="badge text-bg-warning">' + escape(gettext("possible duplicate")) + "</span>"
    stage_label = choice_printer(Candidate, "stage")
    health_class_label = escape(gettext("Health class"))
    rows = []
    for offset, candidate in enumerate(candidates):
        person = candidate.person
        name = conditional_escape(person.full_name)
        pk = number(candidate.pk)
        ground = candidate.ground
        health_class = candidate.health_class
        education = candidate.education
        tick_box = select = ""
        if can_edit:
            tick_box = (
                f'<td><input class="form-check-input" type="checkbox" name="ids" value="{pk}" id="pick-{pk}"'
                f' aria-label="{name}"></td>'
            )
            select = (
                f'<td><select name="hc_{pk}" class="form-select form-select-sm"'
                f' aria-label="{health_class_label} {name}">{_HEALTH_CLASS_OPTIONS}</select></td>'
            )
        if ground:
            ground_cell = (
                f'<span title="{conditional_escape(ground)}">{conditional_escape(ground.code_in_words)}</span>'
            )
        else:
            ground_cell = "—"
        rows.append(
            f"\n    <tr>\n      {tick_box}"
            f'\n      <td class="text-muted">{number(start_index + offset)}</td>'
            f'\n      <td><a href="{detail_url(candidate.pk)}">{name}</a>'
            f"\n        {duplicate if candidate.flagged_duplicate else ''}</td>"
            f"\n      <td>{print_date(person.birth_date)}</td>"
            f"\n      <td>{name_of(candidate.commune)}</td>"
            f"\n      <td>{name_of(person.ethnicity)}</td>"
            f'\n      <td><span class="badge {_STAGE_CLASSES.get(candidate.stage, _UNDER_WAY_CLASS)}">'
            f"{stage_label(candidate.stage)}</span></td>"
            f"\n      <td>{number(health_class) if health_class else '—'}</td>"
            f"\n      <td>{'—' if education is None else number(education)}</td>"
            f"\n      <td>{ground_cell}</td>"
            f"\n      {select}"
            "\n    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
