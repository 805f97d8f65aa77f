"""Install the starting kinds of actor and place, and the services (FR + EN)."""

from django.db import migrations


def install(apps, schema_editor):
    from directory.vocabularies import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_load_communes"), ("core", "0003_locales_and_french_search")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
