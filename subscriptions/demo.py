"""Demo: a few confirmed subscribers (French and English, weekly and monthly, some narrowed)."""

from django.utils import timezone

from subscriptions.models import Subscriber

DEMO_SUBSCRIBERS = [
    # e-mail, language, frequency, news, events, theme slugs, organisation slugs
    ("camille.abonnee@example.org", "fr", "weekly", True, True, [], []),
    ("martin.agenda@example.org", "fr", "monthly", False, True, ["culture-numerique"], []),
    ("lea.asoft@example.org", "fr", "weekly", True, False, [], ["asoft"]),
    ("sam.subscriber@example.org", "en", "weekly", True, True, [], []),
]


def build(ctx):
    from members.models import Organisation
    from taxonomy.models import Theme

    now = timezone.now()
    for email, language, frequency, news, events, themes, organisations in DEMO_SUBSCRIBERS:
        subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "language": language,
                "frequency": frequency,
                "news": news,
                "events": events,
                "status": Subscriber.Status.ACTIVE,
                "consent_text": "Démonstration",
                "confirmed_at": now,
                "last_digest_at": now,
            },
        )
        if created:
            subscriber.themes.set(
                Theme.objects.filter(slug__in=themes, locale__language_code=language)
            )
            subscriber.organisations.set(Organisation.objects.filter(slug__in=organisations))
    ctx.log(f"Abonnements : {len(DEMO_SUBSCRIBERS)} abonnés confirmés à la lettre.")
