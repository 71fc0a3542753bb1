"""Deferment and exemption grounds of Luật NVQS 2015 Điều 41 (recruitment/data/military_service_reasons.csv)."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "military_service_reasons.csv"


def load(apps, schema_editor):
    DeferralGround = apps.get_model("recruitment", "DeferralGround")
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            DeferralGround.objects.update_or_create(
                code=row["code"],
                defaults={
                    "kind": row["kind"],
                    "law_ref": row["law_ref"],
                    "label_vi": row["label_vi"],
                    "label_en": row["label_en"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
