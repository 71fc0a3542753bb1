"""The reorganisations of units in the admin: read-only for everyone (reorg.services writes them), scoped like
the pages — a user sees the reorganisations one of whose units lies in their scope."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from units.admin import ChangesAdminMixin, ScopedAdminMixin
from units.models import Restructuring, Unit

from .plan import LABELS


def _lines(counts):
    """ "Label: count" for each line of a stored plan, in the order of the preview."""
    order = list(LABELS)
    parts = []
    for key in sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k)):
        count = counts[key]
        if count is None or count == 0:
            continue
        parts.append(f"{LABELS.get(key, key)}: {count}")
    return "; ".join(parts) or gettext("nothing")


@admin.register(Restructuring)
class RestructuringAdmin(ChangesAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Each merger, split, renaming or move with its legal basis, the units it concerned and what moved."""

    list_display = ["effective_on", "kind", "unit_names", "basis", "basis_date", "by", "at"]
    list_filter = ["kind", ("effective_on", admin.DateFieldListFilter)]
    search_fields = ["basis", "units__name", "units__code"]
    date_hierarchy = "effective_on"
    list_select_related = ["by"]
    fields = ["kind", "effective_on", "basis", "basis_date", "unit_names", "moved", "stayed", "by", "at"]
    readonly_fields = fields

    def get_queryset(self, request):
        # A reorganisation with several units in the user's scope is listed once.
        units = Prefetch("units", queryset=Unit.objects.order_by("path"))
        return super().get_queryset(request).prefetch_related(units).distinct()

    @admin.display(description=_("units"))
    def unit_names(self, record):
        """The units with their dates: a merger's old and new unit often share a name."""
        names = []
        for unit in record.units.all():
            if unit.valid_to:
                names.append(
                    gettext("%(name)s (until %(day)s)") % {"name": unit.name, "day": f"{unit.valid_to:%d/%m/%Y}"}
                )
            elif unit.valid_from:
                names.append(
                    gettext("%(name)s (from %(day)s)") % {"name": unit.name, "day": f"{unit.valid_from:%d/%m/%Y}"}
                )
            else:
                names.append(unit.name)
        return ", ".join(names)

    @admin.display(description=_("what moved"))
    def moved(self, record):
        return _lines({key: len(ids) for key, ids in (record.summary or {}).get("moves", {}).items()})

    @admin.display(description=_("what stayed with the old unit"))
    def stayed(self, record):
        return _lines((record.summary or {}).get("stays", {}))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # The record reaches the tree through several units: it is readable when one of them is in scope.
        if (
            obj is not None
            and not request.user.is_superuser
            and not Restructuring.objects.visible_to(request.user).filter(pk=obj.pk).exists()
        ):
            return False
        return admin.ModelAdmin.has_view_permission(self, request, obj)
