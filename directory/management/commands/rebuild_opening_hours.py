from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the weekly table of opening hours read by the directory's filters (run daily)."

    def handle(self, *args, **options):
        from directory.commons.hours import rebuild
        from directory.models import PlacePage

        pages = PlacePage.objects.live().exclude(opening_hours="").only("pk", "opening_hours")
        rebuild(pages)
        self.stdout.write(f"{pages.count()} entrées avec horaires.")
