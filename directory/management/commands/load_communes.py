"""manage.py load_communes [FILE]: create or update the communes from a file of the shape of
directory/data/communes-baronnies.csv (see directory/communes.py for the rules)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.communes import DEFAULT_FILE, CommuneFileError, apply_communes, parse_communes
from directory.models import Commune


class Command(BaseCommand):
    help = (
        "Crée ou met à jour les communes (par code INSEE) depuis un fichier CSV "
        "insee,name,postal_code,department,epci,lat,lon,in_park. Sans fichier : celui du projet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default=str(DEFAULT_FILE), help="fichier CSV (UTF-8)"
        )
        parser.add_argument(
            "--overwrite-in-park",
            action="store_true",
            help="Remplacer aussi l'appartenance au Parc confirmée par l'équipe (par défaut : conservée).",
        )

    def handle(self, *args, file, overwrite_in_park=False, **options):
        try:
            rows = parse_communes(file)
        except CommuneFileError as error:
            raise CommandError(
                f"Fichier refusé, rien n'a été enregistré ({len(error.errors)} problème(s)) :\n"
                + "\n".join(f"  - {message}" for message in error.errors[:50])
            ) from error
        with transaction.atomic():
            report = apply_communes(rows, Commune, overwrite_in_park=overwrite_in_park)
        self.stdout.write(self.style.SUCCESS(f"Communes : {report}"))
