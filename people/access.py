"""Who may do what with the registry: one role check each (`units.access`)."""

from django.utils.translation import gettext_lazy as _

from units.access import RoleCheck

EXPORT_PERM = "people.export_people"

can_register_people = RoleCheck(("people.add_person",), _("Your role may not register people."), writes=True)
can_export = RoleCheck((EXPORT_PERM,), _("Your role may not do this."))
