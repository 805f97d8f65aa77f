from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backup import create_backup


class Command(BaseCommand):
    help = "Save the database and the media files in one .tar.gz archive (make backup)."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="archive path (default: var/backups/site-YYYYmmdd-HHMMSS.tar.gz)",
        )

    def handle(self, *args, archive=None, **options):
        if archive is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            archive = Path(settings.BASE_DIR) / "var" / "backups" / f"site-{stamp}.tar.gz"
        archive = Path(archive)
        manifest = create_backup(archive)
        self.stdout.write(
            f"Backup written to {archive}: {manifest['objects']} database objects, "
            f"{manifest['media_files']} media files ({manifest['database_engine']})."
        )
