from django import forms
from django.utils.translation import gettext_lazy as _

from units.forms import CleanInputMixin

from .models import EmailMode


class PreferenceForm(CleanInputMixin, forms.Form):
    email_mode = forms.ChoiceField(label=_("Reminders by e-mail"), choices=EmailMode.choices, widget=forms.RadioSelect)
