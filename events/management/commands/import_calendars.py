"""Import the member organisations' own calendars as moderated drafts (see events/importer.py)."""

from django.core.management.base import BaseCommand

from events.importer import ERROR, import_all


class Command(BaseCommand):
    help = "Fetch each organisation's iCalendar URL and turn new or changed events into drafts submitted to moderation."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", help="only this organisation (its slug)")

    def handle(self, *args, organisation=None, **options):
        results = import_all(stdout=self.stdout, only=organisation)
        failed = [slug for slug, status in results.items() if status == ERROR]
        self.stdout.write(f"{len(results)} calendar(s) read, {len(failed)} failed.")
