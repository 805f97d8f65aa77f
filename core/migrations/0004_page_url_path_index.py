"""An index on Wagtail's page ``url_path``: routing reads every page of a path by its url_path
in one query (core/routing.py), which without an index scans the whole page table (about 10 ms
at 16,600 pages, on every first view of a page after a publication). Wagtail declares no index
on that column; this one is created by SQL, which both PostgreSQL and SQLite accept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_locales_and_french_search"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS core_page_url_path ON wagtailcore_page (url_path);",
            "DROP INDEX IF EXISTS core_page_url_path;",
        ),
    ]
