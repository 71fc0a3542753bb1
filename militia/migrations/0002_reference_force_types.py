"""Militia force types and their terms (militia/data/militia_force_types.csv)."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "militia_force_types.csv"


def load(apps, schema_editor):
    ForceType = apps.get_model("militia", "ForceType")
    with CSV.open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            ForceType.objects.update_or_create(
                code=row["code"],
                defaults={
                    "label_vi": row["label_vi"],
                    "label_en": row["label_en"],
                    "term_years": int(row["term_years"]),
                    "order": order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("militia", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
