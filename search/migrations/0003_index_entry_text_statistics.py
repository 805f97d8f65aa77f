"""PostgreSQL: planner statistics on the expression that the search backend matches.

Wagtail's database search backend finds pages with ``(title || body) @@ query`` on its index
table. The planner keeps statistics on each column, not on their concatenation, so it guessed that
a handful of rows match whatever the words: for a common word (7,000 of 10,000 directory entries)
it then joined thousands of matches one by one, row after row. With statistics on the expression
(PostgreSQL 14+, kept up to date by ANALYZE and autovacuum) its estimate follows the words, and it
chooses hash joins for common words and index lookups for rare ones. Nothing is written on each
change to the index, unlike an index on the expression.
"""

from django.db import migrations

NAME = "site_search_indexentry_title_body"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    table = quote(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS {quote(NAME)} ON ((title || body)) FROM {table}"
    )
    schema_editor.execute(f"ANALYZE {table}")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {schema_editor.quote_name(NAME)}")


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0002_ordering"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_statistics, drop_statistics)]
