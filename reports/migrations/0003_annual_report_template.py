"""The annual report (báo cáo tổng kết) of communes and of the district: indicators, sections and
templates from reports/data/annual_report.json. Running it again updates the rows in place."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "annual_report.json"


def load(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    ReportTemplate = apps.get_model("reports", "ReportTemplate")
    TemplateSection = apps.get_model("reports", "TemplateSection")
    SectionIndicator = apps.get_model("reports", "SectionIndicator")
    UnitKind = apps.get_model("units", "UnitKind")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    indicators = {}
    for section in data["sections"]:
        for row in section["indicators"]:
            indicators[row["code"]], _ = Indicator.objects.update_or_create(
                code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
            )
    for spec in data["templates"]:
        template, _ = ReportTemplate.objects.update_or_create(
            name=spec["name"],
            defaults={"title": spec["title"], "period_kind": spec["period_kind"], "is_active": True},
        )
        template.unit_kinds.set(UnitKind.objects.filter(code__in=spec["unit_kinds"]))
        for order, section_spec in enumerate(data["sections"], start=1):
            section, _ = TemplateSection.objects.update_or_create(
                template=template,
                order=order,
                defaults={"heading": section_spec["heading"], "guidance": section_spec["guidance"]},
            )
            for position, row in enumerate(section_spec["indicators"], start=1):
                SectionIndicator.objects.update_or_create(
                    section=section, indicator=indicators[row["code"]], defaults={"order": position}
                )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_reports_workflow"), ("units", "0002_reference_unit_kinds")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
