"""Light selects for the list filters: options read as plain values, rendered in one pass.

At province scale a filter form carries a select of every visible hamlet (~800) and commune (~150).
Profiling the list pages (bench/README.md) showed that building those options — a model instance with
its kind and parent per option, then Django's per-option rendering — was 70–80 % of the time of the
people list and the militia roster. `lighten_filter_selects` swaps the unit and ethnic-group selects of a
filter form for `ValuesSelect`: one `values_list` query per select (the same count as before), run only
when the select is rendered (an htmx request for the results alone runs none), and the same HTML.
Validation is unchanged: the field keeps its queryset.
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from units.freshness import queryset_key, remember

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
    )


def _named_options(queryset):
    rows = queryset.values_list("pk", "name")
    return remember(("named-options", *queryset_key(rows)), lambda: list(rows))


def lighten_filter_selects(form, names=("commune", "hamlet", "ethnicity")):
    """Swap the named model selects of a filter form for ValuesSelect (same options, labels and order)."""
    for name in names:
        field = form.fields.get(name)
        if not isinstance(field, forms.ModelChoiceField):
            continue
        queryset = getattr(field, "options_queryset", field.queryset)
        if field.label_from_instance is unit_label:

            def options(queryset=queryset):
                return _unit_options(queryset)
        else:

            def options(queryset=queryset):
                return _named_options(queryset)

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
    return form["hamlet"].as_widget(attrs={"class": "select form-select", "hx-swap-oob": "true"})
