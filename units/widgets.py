"""The select of the list filters, cheap however many options it has.

Django's Select renders a template per option (`select_option.html` and its `attrs.html`): a filter's select
of every commune of a province (~150) or every ethnic group cost milliseconds a page. `FastSelect` renders
its options in one loop of one template, `units/widgets/fast_select.html`, from plain (value, label,
selected) triples. Its options are its choices, or what `source()` returns as (value, label) pairs when it
is given one: read only when the select is rendered, so a request that does not show the form reads none.
"""

from django import forms


class FastSelect(forms.Select):
    template_name = "units/widgets/fast_select.html"

    def __init__(self, attrs=None, choices=(), *, source=None):
        super().__init__(attrs, choices)
        self.source = source

    def get_context(self, name, value, attrs):
        # Not Select.get_context: it builds a dict of attributes and a template name for every option.
        context = forms.Widget.get_context(self, name, value, attrs)
        selected = set(self.format_value(value))
        groups = []
        for option_value, label in self.source() if self.source is not None else self.choices:
            if isinstance(label, list | tuple):  # a group: (group name, its choices)
                groups.append((option_value, [self._option(v, text, selected) for v, text in label]))
            elif groups and groups[-1][0] is None:
                groups[-1][1].append(self._option(option_value, label, selected))
            else:
                groups.append((None, [self._option(option_value, label, selected)]))
        context["widget"]["groups"] = groups
        return context

    @staticmethod
    def _option(value, label, selected):
        text = "" if value is None else str(value)
        return text, label, text in selected


def use_fast_selects(form):
    """Swap the plain selects of a (filter) form for FastSelect; call before setting querysets."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget = FastSelect(attrs=field.widget.attrs, choices=field.choices)
