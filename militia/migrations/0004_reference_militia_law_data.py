"""Reference data of the rules that hold every day: extension allowances per force type and post
(Law 48/2019 art. 8.2), the grounds of militia deferment and exemption (art. 11), the age limits of reserve
officers and professional soldiers by rank; and the leaving date of reservists already off the roster."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
# Commanders of militia units (chỉ huy đơn vị DQTV) may serve to the age limit.
COMMAND_POSTS = (
    "deputy_squad_leader",
    "squad_leader",
    "deputy_platoon_leader",
    "platoon_leader",
    "deputy_company_commander",
    "company_commander",
)


def _rows(name):
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    ForceType = apps.get_model("militia", "ForceType")
    for order, row in enumerate(_rows("militia_force_types.csv"), start=1):
        ForceType.objects.update_or_create(
            code=row["code"],
            defaults={
                "label_vi": row["label_vi"],
                "label_en": row["label_en"],
                "term_years": int(row["term_years"]),
                "max_extension_years": int(row["max_extension_years"]) if row["max_extension_years"] else None,
                "order": order,
            },
        )
    PostExtensionLimit = apps.get_model("militia", "PostExtensionLimit")
    for position in COMMAND_POSTS:
        PostExtensionLimit.objects.update_or_create(
            position=position,
            defaults={"max_extension_years": None, "law_ref": "Luật DQTV 2019 Điều 8 khoản 2"},
        )
    Ground = apps.get_model("militia", "MilitiaDutyGround")
    for order, row in enumerate(_rows("militia_duty_grounds.csv"), start=1):
        Ground.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "law_ref": row["law_ref"],
                "label_vi": row["label_vi"],
                "label_en": row["label_en"],
                "order": order,
            },
        )
    Limit = apps.get_model("militia", "ReserveAgeLimit")
    for row in _rows("reserve_age_limits.csv"):
        Limit.objects.update_or_create(
            category=row["category"],
            rank=row["rank"],
            sex=row["sex"],
            defaults={"max_age": int(row["max_age"]), "law_ref": row["law_ref"]},
        )
    # Reservists already off the roster: the day of their last recorded change.
    Reservist = apps.get_model("militia", "Reservist")
    History = apps.get_model("militia", "HistoricalReservist")
    for reservist in Reservist.objects.exclude(status="active").filter(left_on__isnull=True):
        last = History.objects.filter(id=reservist.pk).order_by("-history_date").first()
        reservist.left_on = last.history_date.date() if last else reservist.registered_on
        reservist.save(update_fields=["left_on"])


class Migration(migrations.Migration):
    dependencies = [("militia", "0003_militia_law_rules_every_day")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
