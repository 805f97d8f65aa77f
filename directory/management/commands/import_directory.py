"""manage.py import_directory FILE [--dry-run]: create or update entries from CSV or GeoJSON.

See directory/importer.py and docs/directory-open-data.md for the columns and the stable key.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from directory import importer


class Command(BaseCommand):
    help = (
        "Importe des entrées de l'annuaire depuis un CSV (format de notre export) ou un GeoJSON. "
        "Tout ou rien : une seule ligne rejetée et rien n'est enregistré."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .csv ou .geojson")
        parser.add_argument(
            "--dry-run", action="store_true", help="Vérifier et compter sans rien enregistrer."
        )
        parser.add_argument(
            "--include-outside",
            action="store_true",
            help="Schéma médiation numérique : importer aussi les lieux hors du territoire.",
        )

    def progress(self, done, total):
        width = 30
        filled = int(width * done / total) if total else width
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if done == total:
            self.stderr.write("")
        self.stderr.flush()

    def describe(self, rows):
        """The dry run's detail: each row that would be created or updated, with its changed columns."""
        from directory.opendata import entry_row

        labels = {"create": "à créer", "update": "à mettre à jour"}
        for row in rows:
            if row.action not in labels:
                continue
            detail = ""
            if row.action == "update":
                current = entry_row(row.entry)
                changed = [
                    c
                    for c in importer.WRITABLE
                    if c != "parent" and current.get(c, "") != row.data.get(c, "")
                ]
                detail = f" ({', '.join(changed)})"
            self.stdout.write(
                f"  {row.line} : {labels[row.action]} « {row.data.get('nom', '')} »{detail}"
            )

    def handle(self, *args, file, dry_run=False, include_outside=False, **options):
        from directory import national_import
        from directory.commons.national_import import is_mediation_csv

        if is_mediation_csv(file):
            national_import.run(self, file, dry_run=dry_run, include_outside=include_outside)
            return
        try:
            rows = importer.read_file(file)
        except importer.ImportFileError as error:
            raise CommandError(str(error)) from error
        vocab = importer.Vocabularies()
        importer.plan(rows, vocab)
        rejected = [row for row in rows if row.errors]
        if rejected:
            for row in rejected:
                self.stderr.write(f"{row.line} : {' ; '.join(row.errors)}")
            raise CommandError(
                f"{len(rejected)} ligne(s) rejetée(s) sur {len(rows)} : rien n'a été enregistré."
            )
        counts = {
            action: sum(1 for r in rows if r.action == action)
            for action in ("create", "update", "unchanged")
        }
        summary = (
            f"{len(rows)} ligne(s) : {counts['create']} à créer, {counts['update']} à mettre à jour, "
            f"{counts['unchanged']} inchangée(s)."
        )
        if dry_run:
            self.stdout.write(f"Essai à blanc, rien n'est enregistré. {summary}")
            self.describe(rows)
            return
        try:
            importer.apply(rows, vocab, progress=self.progress)
        except ValidationError as error:
            raise CommandError(f"Import annulé, rien n'a été enregistré : {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Import terminé. {summary}"))
