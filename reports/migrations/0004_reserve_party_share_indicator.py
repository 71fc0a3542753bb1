"""The Party share of the reserve as an automatic indicator of the annual report (reports/data/annual_report.json)."""

from importlib import import_module

from django.db import migrations


def load(apps, schema_editor):
    import_module("reports.migrations.0003_annual_report_template").load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_annual_report_template")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
