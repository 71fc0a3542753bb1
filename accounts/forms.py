"""Forms of the account pages: a sign-in code, a password confirmation, the changes filter of the admin."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from units.forms import CleanInputMixin
from units.models import Unit


class CodeForm(CleanInputMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def clean_code(self):
        return " ".join(self.cleaned_data["code"].split())


class PasswordConfirmForm(CleanInputMixin, forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."), code="wrong_password")
        return password


class ChangesFilterForm(CleanInputMixin, forms.Form):
    """Who, where and when for the admin's changes page; choices limited to what the user may see."""

    user = forms.ModelChoiceField(label=_("Changed by"), queryset=get_user_model().objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit (with its subunits)"), queryset=Unit.objects.none(), required=False)
    date_from = forms.DateField(label=_("From"), required=False)
    date_to = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, users, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: f"{'· ' * unit.depth}{unit.name}"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."), code="period")
        return cleaned


class _UserNameLengthMixin:
    """The user name's length enforced. Django only sets the input's maxlength attribute, so an over-long
    name (typed or posted) reached authenticate() and the lock-out records, whose 255-character column
    refused it with a server error."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(CleanInputMixin, _UserNameLengthMixin, AuthenticationForm):
    """The portal's sign-in form."""


class AdminSignInForm(CleanInputMixin, _UserNameLengthMixin, AdminAuthenticationForm):
    """The admin's sign-in form (staff only), with the same check of the user name."""
