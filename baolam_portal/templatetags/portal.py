"""Template helpers shared by every list page."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

register = template.Library()


@register.simple_tag
def sort_header(label, key, current, query):
    """A column heading that sorts by `key`, toggling the direction when already sorted by it."""
    descending = current == f"-{key}"
    active = current in (key, f"-{key}")
    target = f"-{key}" if current == key else key
    href = f"?{query}&sort={target}" if query else f"?sort={target}"
    mark = ("▼" if descending else "▲") if active else ""
    state = ("descending" if descending else "ascending") if active else "none"
    return format_html(
        '<a href="{}" data-sort="{}">{} <span class="sort-mark" aria-hidden="true">{}</span></a>',
        href,
        state,
        label,
        mark,
    )


@register.filter
def vn_number(value):
    """1234567 → 1.234.567 (Vietnamese thousands separator), whatever the active language."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return value


@register.filter
def percent(part, whole):
    """12,5 % in Vietnamese style; an empty whole gives a dash."""
    try:
        if not whole:
            return "—"
        return f"{100 * part / whole:.1f}".replace(".", ",") + " %"
    except (TypeError, ValueError):
        return "—"


@register.filter
def vn_decimal(value, digits=1):
    """12.5 → "12,5"; None → "—"."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):.{int(digits)}f}".replace(".", ",")
    except (TypeError, ValueError):
        return value


@register.filter
def vn_change(value, kind="number"):
    """A change since last year with its sign: +1.234 for counts, +2,5 points for percentages; None → "—"."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if kind == "percent":
        return f"{sign}{vn_decimal(abs(value))}"
    return f"{sign}{vn_number(abs(value))}"


@register.filter
def with_nonce(script_tag, nonce):
    """Add the request's CSP nonce to a `json_script` tag: the policy wants every <script> to carry it."""
    return mark_safe(str(script_tag).replace("<script ", f'<script nonce="{escape(nonce)}" ', 1))  # noqa: S308


# The states of units.figures.figure_state, each with a shape so that they survive black-and-white print.
_MARKS = {
    "ok": ("●", gettext_lazy("on target")),
    "warning": ("▲", gettext_lazy("close to the target")),
    "at_risk": ("■", gettext_lazy("below the target or at risk")),
    "preparation": ("◔", gettext_lazy("in preparation")),
}


@register.simple_tag
def target_mark(status):
    """How a figure stands against its target: a shape with its words for screen readers (what
    reports/_target_mark.html renders, in Python: the dashboard shows about a hundred of them)."""
    if status not in _MARKS:
        return mark_safe("\n")
    shape, words = _MARKS[status]
    return format_html(
        '<span class="target-mark target-{}" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>\n',
        status,
        words,
        shape,
        words,
    )


@register.simple_tag
def target_cell(cell):
    """A table cell of a percentage against its target (reports/_cell.html, in Python)."""
    value = cell.get("value")
    if value is None:
        shown = "—"
    elif cell.get("url"):
        shown = format_html('<a href="{}">{} %</a>', cell["url"], vn_decimal(value))
    else:
        shown = format_html("{} %", vn_decimal(value))
    return format_html(
        '<td class="text-end target-cell target-{}">{}{}</td>\n',
        cell.get("status"),
        shown,
        target_mark(cell.get("status")),
    )


@register.simple_tag(takes_context=True)
def hamlet_select_oob(context, form):
    """In a list's results refreshed by htmx, the filter's hamlet select again, swapped in place: its
    options follow the commune just chosen (people.forms.CommuneHamletFilterMixin)."""
    from people.widgets import hamlet_select_oob as render

    request = context.get("request")
    if request is None or not getattr(request, "htmx", False) or form is None:
        return ""
    return render(form)


@register.inclusion_tag("partials/filter_toggle.html", takes_context=True)
def filter_toggle(context, form):
    """The button that folds a list's filter panel on a phone (the panel stays open from the `lg` width up).
    With JavaScript it is Bootstrap's collapse; without, it is a link that reloads the page with the panel
    open (`filters=open`). It counts the filters in use, so a folded panel still says that the list is
    filtered."""
    request = context["request"]
    query = request.GET.copy()
    used = sum(1 for name in form.fields if query.get(name, "") not in ("", None))
    is_open = query.get("filters") == "open"
    query["filters"] = "open"
    return {"used": used, "is_open": is_open, "open_query": query.urlencode()}


@register.simple_tag(takes_context=True)
def filter_panel_class(context):
    """The classes of a foldable filter panel: folded on a phone unless opened by the no-JavaScript link."""
    request = context["request"]
    return "collapse d-lg-block filter-panel" + (" show" if request.GET.get("filters") == "open" else "")
