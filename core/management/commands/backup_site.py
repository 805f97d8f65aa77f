from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Save the database (pg_dump on PostgreSQL, dumpdata elsewhere or with --portable) and "
        "the media files in one .tar.gz archive (make backup)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            nargs="?",
            help="archive path (default: var/backups/site-YYYYmmdd-HHMMSS.tar.gz)",
        )
        parser.add_argument(
            "--portable",
            action="store_true",
            help="dumpdata even on PostgreSQL: an archive that restores on another engine",
        )
        parser.add_argument(
            "--retention-days",
            type=int,
            help="then delete the site-*.tar.gz archives of the same folder older than this",
        )

    def handle(self, *args, archive=None, portable=False, retention_days=None, **options):
        if retention_days is not None and retention_days < 1:
            raise CommandError("--retention-days must be at least 1.")
        if archive is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            archive = Path(settings.BASE_DIR) / "var" / "backups" / f"site-{stamp}.tar.gz"
        archive = Path(archive)
        try:
            manifest = create_backup(archive, portable=portable)
        except BackupError as error:
            raise CommandError(str(error)) from error
        objects = (
            f"{manifest['objects']} database objects"
            if manifest["objects"] is not None
            else "a pg_dump snapshot"
        )
        self.stdout.write(
            f"Backup written to {archive}: {objects}, {manifest['media_files']} media files "
            f"({manifest['media_bytes']} bytes, {manifest['database_engine']})."
        )
        if retention_days is not None:
            for old in prune_backups(archive.parent, retention_days, keep=archive):
                self.stdout.write(f"Deleted {old} (older than {retention_days} days).")
