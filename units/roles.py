"""The four roles of the portal, each a Django group with its permissions; the unit gives the scope."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMANDER = "commander", _("Commander")  # chỉ huy: reads the subtree, approves reports
    DISTRICT_OFFICER = "district_officer", _("District staff officer")  # trợ lý: edits the subtree
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")  # chỉ huy quân sự xã: edits own commune
    VIEWER = "viewer", _("Viewer")  # reads the subtree


# Roles whose assignment grants write access to the unit's subtree.
WRITE_ROLES = frozenset({Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER})

_READ = [
    "view_unit",
    "view_disadvantagedperiod",
    "view_restructuring",
    "view_officeholder",
    "view_person",
    "export_people",
    "view_ethnicity",
    "view_forcetype",
    "view_militiamember",
    "view_reserveunit",
    "view_reservepost",
    "view_reservist",
    "view_militiadutyrecord",
    "view_militiadutyground",
    "export_roster",
    "view_deferralground",
    "view_campaign",
    "view_quota",
    "view_candidate",
    "view_stagechange",
    "export_candidates",
    "view_report",
    "view_period",
    "view_reporttemplate",
    "view_indicator",
    "view_reportcomment",
    "add_reportcomment",
] + [
    f"view_{model}"
    for model in ("dutylog", "training", "educationcourse", "policyfamily", "policyvisit", "workday", "event")
]
_EDIT_PEOPLE = ["add_person", "change_person"]
_EDIT_ROSTERS = [
    "add_militiamember",
    "change_militiamember",
    "add_reservist",
    "change_reservist",
    "import_roster",
    "add_militiadutyrecord",
    "change_militiadutyrecord",
]
# The records of the year's activities (the activities app): readiness duty, training, education, policy.
_EDIT_ACTIVITIES = [
    f"{action}_{model}"
    for model in ("dutylog", "training", "educationcourse", "policyfamily", "policyvisit", "workday", "event")
    for action in ("add", "change")
]
_EDIT_RESERVE_UNITS = ["add_reserveunit", "change_reserveunit", "add_reservepost", "change_reservepost"]

_EDIT_CANDIDATES = ["add_candidate", "change_candidate", "import_candidates"]
_MANAGE_CAMPAIGNS = ["add_campaign", "change_campaign", "add_quota", "change_quota"]
# The especially disadvantaged communes of the district, with the decision that lists each.
_KEEP_DISADVANTAGED = ["add_disadvantagedperiod", "change_disadvantagedperiod"]
_FILE_REPORTS = ["change_report", "export_reports"]
_MANAGE_PERIODS = ["add_period", "change_period"]
_REVIEW_REPORTS = ["approve_report", "export_reports"]
_RESTRUCTURE = ["restructure_unit"]
# Who signs the unit's documents: the chair of its People's Committee, the commander of its military command.
_KEEP_SIGNERS = ["add_officeholder", "change_officeholder"]

# Permission codenames per role group. Later apps add their own codenames here.
ROLE_PERMISSIONS = {
    Role.COMMANDER: _READ + _REVIEW_REPORTS,
    Role.DISTRICT_OFFICER: _READ
    + _EDIT_PEOPLE
    + _EDIT_ROSTERS
    + _EDIT_RESERVE_UNITS
    + _EDIT_CANDIDATES
    + _MANAGE_CAMPAIGNS
    + _KEEP_DISADVANTAGED
    + _FILE_REPORTS
    + _MANAGE_PERIODS
    + _RESTRUCTURE
    + _EDIT_ACTIVITIES
    + _KEEP_SIGNERS,
    Role.COMMUNE_OFFICER: _READ
    + _EDIT_PEOPLE
    + _EDIT_ROSTERS
    + _EDIT_CANDIDATES
    + _FILE_REPORTS
    + _EDIT_ACTIVITIES
    + _KEEP_SIGNERS,
    Role.VIEWER: _READ,
}


def role_group_name(role):
    return f"role:{role}"
