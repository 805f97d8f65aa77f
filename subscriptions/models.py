"""E-mail subscriptions without an account, and the log of the digests sent to them.

A ``Subscriber`` is an address with its choices (news and/or agenda, narrowed to themes,
organisations or communes; weekly or monthly; language). It is ``pending`` until the signed link
of the confirmation e-mail is followed (double opt-in), then ``active``. Every e-mail carries a
signed link to its preferences and a one-click unsubscribe (RFC 8058).

A ``Digest`` row is written for one subscriber and one period BEFORE the e-mail is handed to the
backend (status ``sending``), in the same transaction that moves the subscriber's
``last_digest_at`` to the end of the period; it becomes ``sent`` (or ``failed``) afterwards. A run
that crashes halfway leaves at most ``sending`` rows, which the next run never sends again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de confirmation")
        ACTIVE = "active", _("abonné")
        UNSUBSCRIBED = "unsubscribed", _("désabonné")
        BOUNCED = "bounced", _("adresse en échec")
        COMPLAINED = "complained", _("signalé comme indésirable")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("chaque semaine")
        MONTHLY = "monthly", _("chaque mois")

    email = models.EmailField(_("courriel"), unique=True)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    news = models.BooleanField(_("actualités"), default=True)
    events = models.BooleanField(_("agenda"), default=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    organisations = models.ManyToManyField(
        "members.Organisation", verbose_name=_("organisations"), blank=True, related_name="+"
    )
    communes = models.ManyToManyField(
        "directory.Commune", verbose_name=_("communes"), blank=True, related_name="+"
    )
    frequency = models.CharField(
        _("fréquence"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    consent_text = models.TextField(_("texte du consentement accepté"), blank=True)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)
    last_digest_at = models.DateTimeField(
        _("dernière lettre jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Fin de la période couverte par la dernière lettre (ou date de confirmation)."),
    )
    bounce_count = models.PositiveIntegerField(_("échecs d'envoi"), default=0)
    last_bounce_at = models.DateTimeField(_("dernier échec"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonné")
        verbose_name_plural = _("abonnés")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @property
    def is_narrowed(self):
        return bool(self.theme_keys or self.organisation_ids or self.commune_ids)

    @property
    def theme_keys(self):
        return {theme.translation_key for theme in self.themes.all()}

    @property
    def organisation_ids(self):
        return {organisation.pk for organisation in self.organisations.all()}

    @property
    def commune_ids(self):
        return {commune.pk for commune in self.communes.all()}


class Digest(models.Model):
    """One digest for one subscriber and one period: the send log."""

    class Status(models.TextChoices):
        SENDING = "sending", _("envoi en cours ou interrompu")
        SENT = "sent", _("envoyée")
        FAILED = "failed", _("échec")

    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("abonné"), on_delete=models.CASCADE, related_name="digests"
    )
    period_start = models.DateTimeField(_("depuis"))
    period_end = models.DateTimeField(_("jusqu'au"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.SENDING
    )
    articles_count = models.PositiveIntegerField(_("articles"), default=0)
    events_count = models.PositiveIntegerField(_("événements"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("préparée le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lettre envoyée")
        verbose_name_plural = _("lettres envoyées")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "period_end"], name="one_digest_per_subscriber_period"
            )
        ]

    def __str__(self):
        return f"{self.subscriber} · {self.period_end:%Y-%m-%d}"
