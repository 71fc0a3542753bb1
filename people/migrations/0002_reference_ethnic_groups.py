"""The 54 ethnic groups of Vietnam with both official code lists (people/data/ethnic_groups.csv)."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "ethnic_groups.csv"


def load(apps, schema_editor):
    Ethnicity = apps.get_model("people", "Ethnicity")
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Ethnicity.objects.update_or_create(
                code_1979=row["code_1979"], defaults={"code_2008": row["code_2008"] or "", "name": row["name"]}
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
