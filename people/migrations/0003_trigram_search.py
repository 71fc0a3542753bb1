"""On PostgreSQL, a trigram index makes the diacritic-free name search fast at any size."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_key_trgm ON people_person USING gin (search_key gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_key_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_reference_ethnic_groups")]
    operations = [migrations.RunPython(forwards, backwards)]
