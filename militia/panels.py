"""The militia and reserve records of a person, for the person page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from units.scoping import get_scope

from .models import MilitiaMember, Reservist


def roster_panel(person, user):
    members = list(MilitiaMember.objects.visible_to(user).filter(person=person).select_related("unit", "force_type"))
    reservists = list(Reservist.objects.visible_to(user).filter(person=person).select_related("unit", "post"))
    items = [
        {
            "url": reverse("militia:member_detail", args=[m.pk]),
            "text": _("Militia: %(kind)s · %(unit)s · %(date)s")
            % {"kind": m.force_type, "unit": m.unit.name, "date": m.joined_on.strftime("%d/%m/%Y")},
            "status": m.get_status_display(),
            "active": m.status == "active",
        }
        for m in members
    ] + [
        {
            "url": reverse("militia:reservist_detail", args=[r.pk]),
            "text": _("Reserve: %(category)s · %(specialty)s · %(unit)s")
            % {"category": r.get_category_display(), "specialty": r.specialty_code, "unit": r.unit.name},
            "status": r.get_status_display(),
            "active": r.status == "active",
        }
        for r in reservists
    ]
    actions = []
    can_edit = user.has_perm("militia.add_militiamember") and get_scope(user).can_write_path(person.home_unit.path)
    if can_edit and not any(m.status == "active" for m in members):
        actions.append(
            {"url": f"{reverse('militia:member_create')}?person={person.pk}", "text": _("Enlist in the militia")}
        )
    if can_edit and not any(r.status == "active" for r in reservists):
        actions.append(
            {"url": f"{reverse('militia:reservist_create')}?person={person.pk}", "text": _("Register as a reservist")}
        )
    return {"title": _("Militia and reserve"), "items": items, "actions": actions}
