"""Ethnic groups of fewer than 10,000 people (the small_population column of people/data/ethnic_groups.csv:
the very small groups of Decree 57/2017/NĐ-CP); an admin corrects the flag after a new census."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "ethnic_groups.csv"


def load(apps, schema_editor):
    Ethnicity = apps.get_model("people", "Ethnicity")
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Ethnicity.objects.filter(code_1979=row["code_1979"]).update(
                small_population=row["small_population"] == "yes"
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0008_ethnicity_small_population")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
