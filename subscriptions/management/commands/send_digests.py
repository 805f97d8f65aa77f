"""Send the weekly and monthly digests that are due (run daily by the worker or a timer)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from subscriptions.digest import send_digests


class Command(BaseCommand):
    help = "Envoie les lettres d'information dues (hebdomadaires et mensuelles)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Dire ce qui serait envoyé, sans rien envoyer."
        )
        parser.add_argument(
            "--batch-size", type=int, default=None, help="Courriels par connexion (défaut : 100)."
        )
        parser.add_argument(
            "--at",
            default=None,
            help="Faire comme si l'on était à cette date (ISO 8601), par exemple pour rattraper un envoi.",
        )

    def handle(self, *args, dry_run=False, batch_size=None, at=None, verbosity=1, **options):
        now = None
        if at:
            now = parse_datetime(at)
            if now is None:
                raise CommandError("--at : date invalide, par exemple 2026-12-07T09:00")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        log = self.stdout.write if verbosity > 1 or dry_run else None
        stats = send_digests(now=now, dry_run=dry_run, batch_size=batch_size, log=log)
        if dry_run:
            self.stdout.write(
                f"Simulation : {stats['would_send']} lettre(s) à envoyer, {stats['empty']} sans nouveauté."
            )
        else:
            self.stdout.write(
                f"{stats['sent']} lettre(s) envoyée(s), {stats['empty']} sans nouveauté, "
                f"{stats['failed']} en échec, {stats['skipped']} déjà traitée(s)."
            )
