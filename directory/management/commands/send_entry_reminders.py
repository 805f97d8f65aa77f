from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "E-mail the public contact of each stale directory entry (French tree) two one-time links: "
        "« Tout est à jour » and « Quelque chose a changé » (no account needed). Run monthly. "
        "An entry whose organisation has editors with an e-mail address is left to "
        "send_freshness_reminders, which asks them: one reminder per entry, never two."
    )

    def handle(self, *args, **options):
        from directory.commons.freshness import send_reminders, verified_dates
        from directory.freshness import stale_cutoff
        from directory.models import DirectoryEntry
        from members.freshness import reminded_entry_ids

        cutoff = stale_cutoff()
        entries = list(
            DirectoryEntry.objects.live()
            .filter(locale__language_code="fr", last_published_at__lt=cutoff)
            .exclude(email="")
            .select_related("locale")
        )
        editors_reminded = reminded_entry_ids()
        entries = [entry for entry in entries if entry.pk not in editors_reminded]
        confirmed = verified_dates([entry.pk for entry in entries])
        entries = [
            entry
            for entry in entries
            if not (confirmed.get(entry.pk) and confirmed[entry.pk] >= cutoff)
        ]
        sent = send_reminders(entries)
        self.stdout.write(f"{sent} rappel(s) envoyé(s).")
