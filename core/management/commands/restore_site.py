from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database content and the media files by those of a backup archive "
        "(make restore ARCHIVE=…). Everything in the current database is erased."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz made by backup_site")
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, archive, no_input=False, **options):
        archive = Path(archive)
        if not archive.is_file():
            raise CommandError(f"No backup archive at {archive}")
        if not no_input:
            answer = input(f"Erase this site's database and restore {archive}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore_backup(archive, stdout=self.stdout)
        except BackupError as error:
            raise CommandError(str(error)) from error
        database = (
            f"{manifest['objects']} database objects"
            if manifest.get("objects") is not None
            else "the PostgreSQL snapshot"
        )
        self.stdout.write(
            f"Restored {database} and {manifest['media_files']} media files "
            f"from a backup of {manifest['created']}."
        )
