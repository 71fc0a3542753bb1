"""Reference data of the eligibility rules: health classes (health_classes.csv), the versions of the legal
provisions (legal_provisions.json) and the grounds of Luật NVQS 2015 Điều 13–14 (registration_grounds.csv)."""

import csv
import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


def load(apps, schema_editor):
    HealthClass = apps.get_model("recruitment", "HealthClass")
    LegalProvision = apps.get_model("recruitment", "LegalProvision")
    DeferralGround = apps.get_model("recruitment", "DeferralGround")
    with (DATA / "health_classes.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            HealthClass.objects.update_or_create(
                number=int(row["class"]), defaults={"callable": row["callable"] == "yes", "note": row["note"]}
            )
    for item in json.loads((DATA / "legal_provisions.json").read_text(encoding="utf-8")):
        LegalProvision.objects.update_or_create(
            rule=item["rule"],
            valid_from=_date(item["valid_from"]),
            defaults={
                "valid_to": _date(item["valid_to"]),
                "citation": item["citation"],
                "value": item["value"],
                "confirmed": item["confirmed"],
                "note": item["note"],
            },
        )
    with (DATA / "registration_grounds.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            DeferralGround.objects.update_or_create(
                code=row["code"],
                defaults={k: row[k] for k in ("kind", "law_ref", "label_vi", "label_en")},
            )


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0004_eligibility_records_and_provisions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
