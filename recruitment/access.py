"""Who may do what in recruitment: one role check each (`units.access`), shared by the pages and the files."""

from django.utils.translation import gettext_lazy as _

from units.access import RoleCheck

IMPORT_PERM = "recruitment.import_candidates"
EXPORT_PERM = "recruitment.export_candidates"

can_edit_candidates = RoleCheck(
    ("recruitment.change_candidate",), _("Your role may not change candidates."), writes=True
)
can_register_candidates = RoleCheck(
    ("recruitment.add_candidate", "recruitment.change_candidate"),
    _("Your role may not register candidates."),
    writes=True,
)
can_import = RoleCheck((IMPORT_PERM, "recruitment.change_candidate"), _("Your role may not do this."), writes=True)
can_export = RoleCheck((EXPORT_PERM,), _("Your role may not do this."))
