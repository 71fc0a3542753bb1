"""Form widgets shared by every app.

`FastSelect` renders its options in Python instead of one template per option: the list filters carry
selects of every hamlet and ethnic group, and Django's per-option templates made them the slowest part
of a list page. The HTML is the same as Django's Select widget.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        widget = context["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (
                        option["value"],
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                    for option in options
                ),
            )
            if group_name:
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered))
            else:
                parts.append(rendered)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


def use_fast_selects(form):
    """Swap the plain selects of a (filter) form for FastSelect; call before setting querysets."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget = FastSelect(attrs=field.widget.attrs)
            field.widget.choices = field.choices
