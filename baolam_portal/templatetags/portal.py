"""Template helpers shared by every list page."""

from django import template
from django.utils.html import format_html

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
