"""``manage.py update_index``: Wagtail's full rebuild of the search index (modelsearch's), then the
index entries' table compacted on PostgreSQL (core/search_index.py ``compact_entries_table``).

This command takes the name over from ``wagtail.search`` (``core`` is listed before it in
``INSTALLED_APPS``: the first app that defines a command wins); ``wagtail_update_index`` stays
Wagtail's own, without the compaction."""

from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand

from core.search_index import compact_entries_table


class Command(RebuildCommand):
    help = "Rebuild the search index, then compact its table (PostgreSQL)."

    def handle(self, **options):
        super().handle(**options)
        if compact_entries_table():
            self.write("Search index entries' table compacted (VACUUM FULL, ANALYZE).")
