"""Light selects for the list filters: options read as plain values, rendered in one pass.

At province scale a filter form carries a select of every visible hamlet (~800) and commune (~150).
Profiling the list pages (bench/README.md) showed that building those options — a model instance with
its kind and parent per option, then Django's per-option rendering — was 70–80 % of the time of the
people list and the militia roster. `lighten_filter_selects` swaps the model selects of a filter form for
`ValuesSelect`: options read with one query per select, kept until the next write (units.freshness), read
only when the select is rendered (an htmx request for the results alone reads none), and the same HTML.
Validation is unchanged: the field keeps its queryset.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from units.freshness import queryset_key, remember, subtree_units

from .forms import unit_label


class ValuesSelect(forms.Select):
    """A select whose options come from `source()` as (value, label) pairs, read when rendered."""

    def __init__(self, source, attrs=None):
        super().__init__(attrs)
        self.source = source

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        final_attrs = self.build_attrs(self.attrs, attrs)
        options = [
            f'<option value="{escape(str(v))}"{" selected" if str(v) in selected else ""}>{escape(str(label))}</option>'
            for v, label in self.source()
        ]
        return mark_safe(f'<select name="{escape(name)}"{flatatt(final_attrs)}>{"".join(options)}</select>')  # noqa: S308 (escaped above)


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
    """Swap the model selects of a filter form (all of them, or the named ones) for ValuesSelect: the same
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

        field.widget = ValuesSelect(source, attrs=field.widget.attrs)


def hamlet_select_oob(form):
    """The hamlet select alone, for htmx to swap in place (hx-swap-oob) when the list's results are
    refreshed after the commune changed: its options follow the commune. The classes are those the
    filter form's field gets (units/templatetags/fast_fields.py)."""
    if "hamlet" not in form.fields:
        return ""
    widget_class = type(form.fields["hamlet"].widget).__name__.lower()  # as crispy's field names it
    return form["hamlet"].as_widget(attrs={"class": f"{widget_class} form-select", "hx-swap-oob": "true"})
