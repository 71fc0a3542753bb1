"""The annual report of the area defence commands (Ban CHPTKV, formed on 1 July 2025) and of the province
command: the same sections and indicators as the district's, from reports/data/annual_report.json. After the
reform the communes roll up into their area command and the area commands into the province."""

from importlib import import_module

from django.db import migrations


def load(apps, schema_editor):
    import_module("reports.migrations.0003_annual_report_template").load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_activity_sources")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
