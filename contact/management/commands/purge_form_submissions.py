"""Delete form submissions older than the retention period (personal data are not kept forever)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission


class Command(BaseCommand):
    help = (
        "Supprime les réponses aux formulaires plus anciennes que FORM_SUBMISSION_RETENTION_DAYS "
        "(365 jours par défaut). À lancer chaque jour (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help="Délai de conservation en jours (remplace le réglage)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Compter sans supprimer.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = (
            days if days is not None else getattr(settings, "FORM_SUBMISSION_RETENTION_DAYS", 365)
        )
        if days < 0:
            raise CommandError("Le délai doit être positif.")
        old = FormSubmission.objects.filter(submit_time__lt=timezone.now() - timedelta(days=days))
        count = old.count()
        if not dry_run:
            old.delete()
        verb = "à supprimer" if dry_run else "supprimées"
        self.stdout.write(f"{count} réponse(s) de plus de {days} jours {verb}.")
