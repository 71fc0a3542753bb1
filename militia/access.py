"""Who may do what with the rosters: one role check each (`units.access`), shared by the pages and the files."""

from django.utils.translation import gettext_lazy as _

from units.access import RoleCheck

EXPORT_PERM = "militia.export_roster"
IMPORT_PERM = "militia.import_roster"
_REFUSED = _("Your role may not change the rosters.")

can_edit_rosters = RoleCheck(("militia.add_militiamember",), _REFUSED, writes=True)
can_add_reservists = RoleCheck(("militia.add_militiamember", "militia.add_reservist"), _REFUSED, writes=True)
can_record_duty = RoleCheck(("militia.add_militiamember", "militia.add_militiadutyrecord"), _REFUSED, writes=True)
can_export = RoleCheck((EXPORT_PERM,), _("Your role may not do this."))
can_import = RoleCheck((IMPORT_PERM,), _("Your role may not do this."))
