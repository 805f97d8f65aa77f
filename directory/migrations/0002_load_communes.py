"""Fill a fresh database with the communes of directory/data/communes-baronnies.csv."""

from django.db import migrations


def load(apps, schema_editor):
    from directory.communes import DEFAULT_FILE, apply_communes, parse_communes

    apply_communes(parse_communes(DEFAULT_FILE), apps.get_model("directory", "Commune"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
