"""Light selects for the list filters: options read as plain values, rendered in one pass.

At province scale a filter form carries a select of every visible hamlet (~800) and commune (~150).
Profiling the list pages (bench/README.md) showed that building those options — a model instance with
its kind and parent per option, then Django's per-option rendering — was 70–80 % of the time of the
people list and the militia roster. `lighten_filter_selects` swaps the model selects of a filter form for
`units.widgets.FastSelect` reading its options as plain values: one query per select, kept until the next
write (units.freshness), read only when the select is rendered (an htmx request for the results alone reads
none).
Validation is unchanged: the field keeps its queryset.
"""

from django import forms
from django.utils.translation import get_language

from units.freshness import queryset_key, remember, subtree_units
from units.widgets import FastSelect

from .forms import unit_label


def _unit_options(queryset):
    rows = queryset.values_list("pk", "name", "parent_id", "parent__name", "kind__is_commune_level")
    return remember(
        ("unit-options", *queryset_key(rows)),
        lambda: [
            (pk, f"{name} – {parent_name}" if parent_id and not commune_level else name)
            for pk, name, parent_id, parent_name, commune_level in rows
        ],
        units=(),  # names and places in the tree: a change to the tree marks everything
    )


def _labelled_options(field, queryset):
    """Any other model select (ethnic groups, force types, grounds): the field's own values and labels,
    which may depend on the language."""
    return remember(
        ("labelled-options", get_language(), *queryset_key(queryset)),
        lambda: [(field.prepare_value(obj), str(field.label_from_instance(obj))) for obj in queryset],
        units=subtree_units(queryset),
    )


def lighten_filter_selects(form, names=None):
    """Swap the model selects of a filter form (all of them, or the named ones) for a FastSelect: the same
    options, labels and order, read from the cache until the next write (units.freshness)."""
    for name in names or list(form.fields):
        field = form.fields.get(name)
        if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
            continue
        queryset = getattr(field, "options_queryset", field.queryset)
        if field.label_from_instance is unit_label:

            def options(queryset=queryset):
                return _unit_options(queryset)
        else:

            def options(queryset=queryset, field=field):
                return _labelled_options(field, queryset)

        empty = [("", field.empty_label)] if field.empty_label is not None else []

        def source(options=options, empty=empty):
            return empty + options()

        field.widget = FastSelect(attrs=field.widget.attrs, source=source)


def hamlet_select_oob(form):
    """The hamlet select alone, for htmx to swap in place (hx-swap-oob) when the list's results are
    refreshed after the commune changed: its options follow the commune. The filter form's classes come
    with the field (units.forms.BootstrapFieldsMixin)."""
    if "hamlet" not in form.fields:
        return ""
    return form["hamlet"].as_widget(attrs={"hx-swap-oob": "true"})
