"""`fast_field`: crispy-forms' `|as_crispy_field` (bootstrap5 pack) for the list filters, built in Python.

`|as_crispy_field` renders crispy's `bootstrap5/field.html` template tree and Django's widget templates for
every field: about 5 ms per people list for its eight filter fields. `fast_field` builds the same HTML, byte
for byte, for the fields those forms use (text, number, date, hidden and checkbox inputs, selects) and hands
any other field to `as_crispy_field`. The whitespace in the strings below is the templates' own, so the
page does not change by one byte; units/tests/test_fast_fields.py compares both renderings.
"""

from functools import cache
from pathlib import Path

import crispy_bootstrap5
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Widget
from django.template import Context
from django.template.base import render_value_in_context
from django.template.loader import get_template
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

# How a template prints `{{ value }}`: autoescaped, localised.
_PRINT_CONTEXT = Context()

# The crispy templates reproduced here; a project template overriding one of them means falling back.
_PACK_TEMPLATES = (
    "bootstrap5/field.html",
    "bootstrap5/layout/help_text_and_errors.html",
    "bootstrap5/layout/field_errors_block.html",
    "bootstrap5/layout/help_text.html",
)
# Django widget templates reproduced here; each input one is `{% include "django/forms/widgets/input.html" %}`.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("text", "number", "date", "hidden", "checkbox")
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
_ASTERISK = '<span class="asteriskField">*</span>'
# A line break and the indentation of the template line it starts: crispy's templates print both.
_N4, _N8, _N12, _N16, _N20, _N24, _N28 = ("\n" + " " * n for n in range(4, 29, 4))


@register.filter
def fast_field(field):
    """`{{ field|as_crispy_field }}`, the same HTML without rendering templates."""
    if not _reproducible(field):
        return as_crispy_field(field)
    if field.is_hidden:
        return mark_safe(f"\n\n{_N4}{_widget_html(field)}\n\n")  # noqa: S308 (every part escaped)

    widget = field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    errors = field.errors
    required = field.field.required
    required_class = " requiredField" if required else ""
    label = _print(field.label) + (_ASTERISK if required else "")
    css_classes = field.css_classes()
    help_and_errors = _help_text_and_errors(field, errors)

    html = ["\n\n", _N4]
    if checkbox:
        html.append(f'{_N8}<div class="mb-3">{_N8}{_N4}')
    html.append(
        f'{_N4}<div id="div_{_print(field.auto_id)}" class="{"form-check" if checkbox else "mb-3"}'
        f'{" " + _print(css_classes) if css_classes else ""}">{_N8}'
    )
    if field.label and not checkbox:
        id_for_label = field.id_for_label
        for_attribute = f'for="{_print(id_for_label)}"' if id_for_label else ""
        html.append(
            f'{_N12}{_N12}<label{_N16}{for_attribute} class="form-label{required_class}">'
            f"{_N16}{label}{_N12}</label>{_N8}"
        )
    html.append(f"\n{_N8}\n{_N8}{_N12}")
    if checkbox:
        _add_crispy_classes(widget, "form-check-input is-invalid" if errors else "form-check-input")
        html.append(
            f"{_N20}{_N24}{_widget_html(field)}{_N20}"
            f'{_N16}<label for="{_print(field.id_for_label)}" class="form-check-label{required_class}">'
            f"{_N20}{label}{_N16}</label>{_N16}{help_and_errors}{_N12}"
        )
    else:
        select = isinstance(widget, forms.Select)
        classes = "form-select" if select else "form-control"
        _add_crispy_classes(widget, f"{classes} is-invalid" if errors else classes)
        if select:
            html.append(f"{_N16}{_N20}{_N24}{_N28}{_widget_html(field)}{_N24}{_N20}")
        else:
            html.append(f"{_N16}{_N20}{_N24}{_widget_html(field)}{_N20}")
        html.append(f"{_N20}{_N24}{help_and_errors}{_N20}{_N16}{_N12}")
    html.append(f"{_N8}{_N8}{_N4}</div>{_N4}")
    if checkbox:
        html.append(f"{_N8}{_N8}</div>{_N4}")
    html.append("\n\n")
    return mark_safe("".join(html))  # noqa: S308 (every part escaped)


def _reproducible(field):
    """Whether `fast_field` knows exactly how crispy renders this field."""
    if not isinstance(field, BoundField) or getattr(field.form, "helper", None) is not None:
        return False  # a FormHelper may change the template and its context
    widget = field.field.widget
    return (
        getattr(settings, "CRISPY_TEMPLATE_PACK", None) == "bootstrap5"
        # Crispy adds its classes to the inner widgets of these wrappers.
        and not hasattr(widget, "widgets")
        and not hasattr(widget, "widget")
        # Radio buttons, checkbox lists and files have templates of their own.
        and not isinstance(widget, forms.RadioSelect | forms.FileInput)
        and not field.use_fieldset
        and _pack_templates_are_crispy_bootstrap5()
    )


@cache
def _pack_templates_are_crispy_bootstrap5():
    """Whether the templates crispy would load are crispy_bootstrap5's own (the project overrides none)."""
    root = Path(crispy_bootstrap5.__file__).resolve().parent
    return all(Path(get_template(name).origin.name).resolve().is_relative_to(root) for name in _PACK_TEMPLATES)


def _add_crispy_classes(widget, classes):
    """What `{% crispy_field field 'class' classes %}` does: crispy keeps these classes on the widget."""
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    class_name = widget.__class__.__name__.lower()
    class_name = converters.get(class_name, class_name)
    css_class = widget.attrs.get("class", "")
    if css_class:
        if css_class.find(class_name) == -1:
            css_class += f" {class_name}"
    else:
        css_class = class_name
    for name in classes.split():
        if name not in css_class.split():
            css_class += f" {name}"
    widget.attrs["class"] = css_class


def _help_text_and_errors(field, errors):
    """bootstrap5/layout/help_text_and_errors.html: the errors as blocks, then the help text."""
    html = ["\n\n", _N4]
    if errors:
        auto_id = _print(field.auto_id)
        html.append(f'{_N4}<div id="{_print(getattr(errors, "field_id", ""))}_error" class="invalid-feedback">{_N4}')
        html.extend(
            f'{_N8}<p id="error_{counter}_{auto_id}"><strong>{_print(error)}</strong></p>{_N4}'
            for counter, error in enumerate(errors, start=1)
        )
        html.append(f"{_N4}</div>\n")
    html.append(f"\n\n\n\n{_N4}")
    if field.help_text:
        id_attribute = f'id="{_print(field.auto_id)}_helptext" ' if field.auto_id else ""
        help_text = _print(mark_safe(field.help_text))  # noqa: S308 (crispy prints it with |safe)
        html.append(f'{_N4}{_N8}<div {id_attribute}class="form-text">{help_text}</div>{_N4}\n')
    html.append("\n\n\n")
    return "".join(html)


def _widget_html(field):
    """`str(field)`, with Django's input and select templates done in Python."""
    widget = field.field.widget
    template_name = getattr(widget, "template_name", None)
    if (
        field.field.show_hidden_initial
        or type(field.form.renderer) is not DjangoTemplates  # another renderer may use other templates
        or type(widget).render is not Widget.render  # e.g. FastSelect: already rendered in Python
        or type(widget)._render is not Widget._render
        or (template_name not in _INPUT_TEMPLATES and template_name != _SELECT_TEMPLATE)
    ):
        return str(field)
    # What BoundField.as_widget() hands to the widget.
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    html = _select_html(context) if template_name == _SELECT_TEMPLATE else _input_html(context)
    return str(field) if html is None else html


def _input_html(widget):
    """django/forms/widgets/input.html."""
    attrs = _attrs_html(widget["attrs"])
    if attrs is None:
        return None
    value = "" if widget["value"] is None else f' value="{_print_formatted(widget["value"])}"'
    return f'<input type="{_print(widget["type"])}" name="{_print(widget["name"])}"{value}{attrs}>'


def _select_html(widget):
    """django/forms/widgets/select.html and its select_option.html per option (the whole stripped)."""
    attrs = _attrs_html(widget["attrs"])
    if attrs is None:
        return None
    html = [f'<select name="{_print(widget["name"])}"{attrs}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_print(group_name)}">')
        for option in options:
            option_attrs = _attrs_html(option["attrs"])
            if (
                option_attrs is None
                or option["template_name"] != _OPTION_TEMPLATE
                or callable(option["value"])
                or callable(option["label"])
            ):
                return None  # another option template, or values a template would call
            html.append(
                f'\n  <option value="{_print_formatted(option["value"])}"{option_attrs}>'
                f"{_print(option['label'])}</option>\n"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _attrs_html(attrs):
    """django/forms/widgets/attrs.html; None for what the template would resolve differently."""
    if "items" in attrs:
        return None  # `attrs.items` in a template would be this key, not the method
    html = []
    for name, value in attrs.items():
        if callable(value):
            return None  # a template would call it
        if value is False:
            continue
        html.append(f" {_print(name)}" if value is True else f' {_print(name)}="{_print_formatted(value)}"')
    return "".join(html)


def _print(value):
    """`{{ value }}`."""
    return render_value_in_context(value, _PRINT_CONTEXT)


def _print_formatted(value):
    """`{{ value|stringformat:'s' }}`."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)  # noqa: UP031 (the filter's own formatting)
    except (ValueError, TypeError):
        text = ""
    if isinstance(value, SafeData):
        text = mark_safe(text)  # noqa: S308 (as the filter, which is_safe, does)
    return _print(text)
