"""Send the daily summary of pending items to the moderators who chose it (a daily timer)."""

from django.core.management.base import BaseCommand

from moderation.summary import send_summaries


class Command(BaseCommand):
    help = "Envoie le résumé quotidien de modération aux modérateurs qui l'ont choisi."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Envoyer même si un résumé est parti il y a moins de 20 heures.",
        )

    def handle(self, *args, force=False, **options):
        sent, skipped = send_summaries(force=force)
        self.stdout.write(f"{sent} résumé(s) envoyé(s), {skipped} sans objet.")
