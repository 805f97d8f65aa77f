"""The trigram extension for duplicate detection, on PostgreSQL only (SQLite uses a simpler rule)."""

from django.db import migrations


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm;")


class Migration(migrations.Migration):
    dependencies = [("directory_commons", "0002_freshness_links")]
    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop)]
