"""Sections I, III, VII and VIII of the annual report (and the reserve drills of section VI) take their
figures from the records of activities (reports/data/annual_report.json)."""

from importlib import import_module

from django.db import migrations


def load(apps, schema_editor):
    import_module("reports.migrations.0003_annual_report_template").load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_fill_issued_of_approved_reports")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
