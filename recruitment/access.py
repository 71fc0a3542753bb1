"""Who may do what in recruitment: one function per check, shared by the pages and the files."""

from units.scoping import get_scope

IMPORT_PERM = "recruitment.import_candidates"
EXPORT_PERM = "recruitment.export_candidates"


def can_edit_candidates(user):
    """The role may change candidates and the user is assigned a unit to write in."""
    scope = get_scope(user)
    return user.has_perm("recruitment.change_candidate") and (scope.is_all or bool(scope.write_paths))


def can_import(user):
    return user.has_perm(IMPORT_PERM) and can_edit_candidates(user)


def can_export(user):
    return user.has_perm(EXPORT_PERM)
