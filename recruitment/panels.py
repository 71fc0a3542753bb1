"""A person's candidacies in the yearly call-ups, for the person page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Candidate, Stage


def candidacy_panel(person, user):
    candidacies = list(
        Candidate.objects.visible_to(user)
        .filter(person=person)
        .select_related("campaign", "commune", "ground")
        .order_by("-campaign__year")
    )
    if not candidacies:
        return None
    items = [
        {
            "url": reverse("recruitment:candidate_detail", args=[c.pk]),
            "text": _("Military service %(year)s · %(unit)s") % {"year": c.campaign.year, "unit": c.commune.name},
            "status": c.get_stage_display(),
            "active": c.stage in (Stage.APPROVED, Stage.HANDED_OVER),
        }
        for c in candidacies
    ]
    return {"title": _("Military service"), "items": items, "actions": []}
