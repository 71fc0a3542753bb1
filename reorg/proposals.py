"""Mergers proposed from the official conversion of 2025 (reorg.official) for the communes a user keeps: for
each new commune formed from them, the portal's units it was formed from, whether the merger is still to do
or already done, and the fields of the merge form that carry it out (the user checks the preview and
confirms: nothing is applied here)."""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.utils.translation import gettext as _

from units.models import Unit, UnitKind
from units.scoping import get_scope

from . import official

# The type of a new commune-level unit -> the level (UnitKind.code) it takes in the tree.
DIVISION_KINDS = {"xã": "commune", "phường": "ward", "đặc khu": "commune"}

PENDING, DONE, UNCHANGED = "pending", "done", "unchanged"


@dataclass
class Source:
    """One old unit of the official group, and the portal's unit that has its code (None when the portal does
    not hold it for the user)."""

    old: official.OldUnit
    unit: Unit | None = None
    # Taken into the merger: held, in force, kept by the user, and not a part of a divided unit whose records
    # go to another new commune by default.
    merged: bool = False
    note: str = ""


@dataclass
class Proposal:
    commune: official.NewCommune
    sources: list
    state: str = PENDING
    result: Unit | None = None  # the new commune in the portal once the merger is done
    into: Unit | None = None  # a unit in force that already has the new code: the others merge into it
    parent: Unit | None = None
    kind: UnitKind | None = None
    notes: list = dataclass_field(default_factory=list)

    @property
    def merged_units(self):
        return [s.unit for s in self.sources if s.merged]

    @property
    def first(self):
        """The unit whose merge page carries the merger: the one that keeps the new code, or the first."""
        units = self.merged_units
        return next((u for u in units if u.code == self.commune.code), units[0] if units else None)

    def form_data(self):
        """The fields of the merge form (reorg.forms.MergeForm) for this merger, as the page posts them."""
        first = self.first
        data = {
            "others": [u.pk for u in self.merged_units if u.pk != first.pk],
            "into": self.into.pk if self.into else "",
            "new_name": "" if self.into else self.commune.name,
            "new_code": "" if self.into else self.commune.code,
            "new_kind": self.kind.pk if self.kind and not self.into else "",
            "new_parent": self.parent.pk if self.parent and not self.into else "",
        }
        return data

    def hidden_fields(self):
        """form_data() as (name, value) pairs, a pair per value of a list."""
        pairs = []
        for name, value in self.form_data().items():
            pairs += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
        return pairs


def proposals_for(*, user):
    """The proposals for the communes the user reaches, ordered by the new commune's code. A fixed number of
    queries (three) whatever the size of the province."""
    scope = get_scope(user)
    units = list(
        Unit.objects.visible_to(user)
        .communes()
        .exclude(code="")
        .select_related("kind", "parent__kind", "successor")
        .order_by("valid_to", "path")
    )
    by_code = {}
    for unit in units:  # a code held by a unit in force and by ended ones: the one in force first
        by_code.setdefault(unit.code, []).append(unit)
    communes = [c for c in official.new_communes_of(by_code) if c is not None]
    in_force = {
        u.code: u
        for u in Unit.objects.visible_to(user)
        .current()
        .filter(code__in=[c.code for c in communes])
        .select_related("kind")
    }
    kinds = {k.code: k for k in UnitKind.objects.all()}
    provinces = _provinces(units)
    result = []
    for commune in communes:
        proposal = _proposal(commune, by_code, in_force, kinds, provinces, scope)
        if proposal is not None:
            result.append(proposal)
    return result


def _provinces(units):
    """{unit id: the province above it} for the units given: one query for their ancestors."""
    ids = {int(part) for u in units for part in u.path.split(".") if part}
    provinces = {u.pk: u for u in Unit.objects.filter(pk__in=ids, kind__code="province").select_related("kind")}
    found = {}
    for unit in units:
        ancestors = [int(part) for part in unit.path.split(".") if part]
        found[unit.pk] = next((provinces[pk] for pk in ancestors if pk in provinces), None)
    return found


def _proposal(commune, by_code, in_force, kinds, provinces, scope):
    sources = []
    for old in commune.olds:
        held = by_code.get(old.code, [])
        # The old unit: the one in force with that code, else the ended one that ended into this commune, else
        # the latest ended one (a code the reform handed to the new commune is held by both).
        unit = next((u for u in held if u.valid_to is None and not _is_result(u, commune)), None)
        if unit is None:
            unit = next((u for u in held if u.valid_to and u.successor and u.successor.code == commune.code), None)
        if unit is None:
            unit = next((u for u in held if u.valid_to and not _is_result(u, commune)), None)
        sources.append(Source(old=old, unit=unit))
    held = [s for s in sources if s.unit is not None]
    if not held:
        return None
    proposal = Proposal(commune=commune, sources=sources)
    proposal.kind = kinds.get(DIVISION_KINDS.get(commune.division, "commune"))
    existing = in_force.get(commune.code)
    for source in sources:
        unit = source.unit
        if unit is None:
            source.note = _("not in the portal, or outside your units")
        elif unit.valid_to is not None:
            source.note = (
                _("merged into it on %(day)s") % {"day": f"{unit.successor.valid_from or unit.valid_to:%d/%m/%Y}"}
                if unit.successor and unit.successor.code == commune.code
                else _("ended on %(day)s") % {"day": f"{unit.valid_to:%d/%m/%Y}"}
            )
        elif source.old.divided and not source.old.default:
            source.note = _("divided: its records go by default to %(codes)s; split it first") % {
                "codes": ", ".join(source.old.shared_with)
            }
        elif not scope.can_write_path(unit.path):
            source.note = _("you may only read this unit")
        else:
            source.merged = True
            if source.old.divided:
                source.note = _("divided: part of it went to %(codes)s; split it first if that part is to follow") % {
                    "codes": ", ".join(source.old.shared_with)
                }
    merged = proposal.merged_units
    if merged and existing is not None and existing.pk not in {u.pk for u in merged}:
        proposal.into = existing
    if not merged:
        done = [s.unit for s in held if s.unit.valid_to and s.unit.successor and s.unit.successor.code == commune.code]
        proposal.state = DONE if done else PENDING
        proposal.result = done[0].successor if done else existing
        return proposal
    only = merged[0]
    if len(commune.olds) == 1 and len(merged) == 1 and only.code == commune.code and only.name == commune.name:
        proposal.state = UNCHANGED
        return proposal
    province = provinces.get(proposal.first.pk)
    proposal.parent = province if province is not None and scope.can_read_path(province.path) else proposal.first.parent
    return proposal


def _is_result(unit, commune):
    """Whether `unit` is the new commune itself (it has the new code and began on the day of the reform)."""
    return unit.code == commune.code and unit.valid_from is not None and unit.valid_from >= official.EFFECTIVE_DAY
