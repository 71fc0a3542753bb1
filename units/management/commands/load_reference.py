"""Load the reference units (units/data/units_baolam.csv) into the tree; running it again changes nothing."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from units.freshness import changed
from units.models import Unit, UnitKind

UNITS_CSV = Path(__file__).resolve().parents[2] / "data" / "units_baolam.csv"


class Command(BaseCommand):
    help = "Load reference data: the province, district and commune-level units of Bảo Lâm."

    @transaction.atomic
    def handle(self, *args, **options):
        kinds = {k.code: k for k in UnitKind.objects.all()}
        created = 0
        by_code = {u.code: u for u in Unit.objects.all()}
        with UNITS_CSV.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["gso_code"] in by_code:
                    continue
                unit = Unit(
                    code=row["gso_code"],
                    name=row["name"],
                    kind=kinds[row["kind"]],
                    parent=by_code.get(row["parent_gso_code"]) if row["parent_gso_code"] else None,
                )
                unit.full_clean(exclude=["path", "depth"])
                unit.save()
                by_code[unit.code] = unit
                created += 1
        if created:
            changed(everything=True)  # the tree every page reads
        self.stdout.write(f"Reference units: {created} created, {len(by_code) - created} already present.")
