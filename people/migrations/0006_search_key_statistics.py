"""A finer sample of the folded names for PostgreSQL's planner.

With the default sample (100), a name search such as '%nguyen van%' over 100,000 people was estimated at
~950 matches for 61 real ones, and some ANALYZE runs then chose to walk the name index in order and filter
76,000 rows (30 ms) instead of the trigram index (0.6 ms). With 1,000 the estimate is 55 and the plan
stays on the trigram index (bench/README.md, step 5)."""

from django.db import migrations


def finer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE people_person ALTER COLUMN search_key SET STATISTICS 1000")


def default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE people_person ALTER COLUMN search_key SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("people", "0005_unit_headcount")]

    operations = [migrations.RunPython(finer, default)]
