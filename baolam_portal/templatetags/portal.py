"""Template helpers shared by every list page."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# What django.utils.html.json_script escapes in the JSON it puts in a script element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("partials/sort_header.html")
def sort_header(label, key, current, query):
    """A column heading that sorts by `key`, toggling the direction when already sorted by it."""
    descending = current == f"-{key}"
    active = current in (key, f"-{key}")
    target = f"-{key}" if current == key else key
    return {
        "label": label,
        "href": f"?{query}&sort={target}" if query else f"?sort={target}",
        "mark": ("▼" if descending else "▲") if active else "",
        "state": ("descending" if descending else "ascending") if active else "none",
    }


# The labels of a choice field in one language, by field and language (see `choice_label`).
_CHOICE_LABELS = {}


@register.filter
def choice_label(obj, field_name):
    """`obj.get_<field_name>_display`, for the rows of a list: the field's labels are translated once a
    language, where `get_FOO_display` builds and hashes the translated choices on every call."""
    field = obj._meta.get_field(field_name)
    key = (field, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = {value: str(label) for value, label in field.flatchoices}
    value = getattr(obj, field.attname)
    return labels.get(value, value)


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
def script_json(value):
    """`value` as JSON to sit inside a `<script type="application/json">` element: `<`, `>` and `&` escaped
    as `json_script` escapes them, so the text cannot close the element."""
    return mark_safe(json.dumps(value, cls=DjangoJSONEncoder).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308


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
