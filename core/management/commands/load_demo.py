"""Build the demo site from nothing. Safe to run again: it creates only what is missing."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.demo import DemoContext, site_is_empty

# Each app that adds demo content has a ``demo`` module with ``build(ctx)``.
# Order matters: later steps use what earlier ones made (ctx carries it).
DEMO_STEPS = [
    "core.demo",
    "directory.demo",
    "news.demo",
    "events.demo",
    "members.demo",  # after directory.demo, news.demo and events.demo: it onboards their pages
    "dossiers.demo",
    "contact.demo",
    "subscriptions.demo",  # after members.demo: subscribers narrowed to an organisation
    "search.demo",
]


class Command(BaseCommand):
    help = "Crée le contenu de démonstration (idempotent). Refuse de tourner si DEBUG est faux, sauf --force."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si le site a déjà une page d'accueil.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Autoriser le chargement hors DEBUG (jamais en production réelle).",
        )

    def handle(self, *args, if_empty=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG est désactivé : load_demo refuse de créer des comptes de démonstration. "
                "Utilisez --force pour un environnement de test."
            )
        if if_empty and not site_is_empty():
            self.stdout.write("Le site a déjà du contenu : démo non rechargée.")
            return
        ctx = DemoContext(stdout=self.stdout)
        with transaction.atomic():
            for step in DEMO_STEPS:
                import_module(step).build(ctx)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
