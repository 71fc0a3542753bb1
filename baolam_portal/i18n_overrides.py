"""Django strings that its Vietnamese catalog lacks or gets wrong; listed so makemessages keeps our translations."""

from django.utils.translation import gettext_noop

OVERRIDDEN = [
    gettext_noop("- Select an option -"),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
]
