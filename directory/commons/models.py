from django.db import models
from django.utils.translation import gettext_lazy as _


class OpeningInterval(models.Model):
    """One open interval of an entry in its coming week (see ``hours.rebuild``): what the
    directory's "ouvert maintenant" and "ouvert le …" filters read, in one indexed semi-join."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("jour"))  # 0 = Monday
    start_minute = models.PositiveSmallIntegerField(_("début (minutes)"))
    end_minute = models.PositiveSmallIntegerField(_("fin (minutes)"))

    class Meta:
        verbose_name = _("plage d'ouverture")
        verbose_name_plural = _("plages d'ouverture")
        indexes = [
            models.Index(
                fields=["weekday", "start_minute", "end_minute"], name="opening_interval_lookup"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.weekday} {self.start_minute}-{self.end_minute}"


class FreshnessLink(models.Model):
    """One link sent in a reminder: works once (``used_at``), for one purpose, until it expires
    (the signature's age, ``freshness.LINK_MAX_AGE``). The signed token carries the nonce."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", _("tout est à jour")
        CHANGE = "change", _("quelque chose a changé")

    nonce = models.CharField(max_length=32, unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("entrée"), on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(_("objet"), max_length=10, choices=Purpose.choices)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien de mise à jour")
        verbose_name_plural = _("liens de mise à jour")

    def __str__(self):
        return f"{self.page_id} {self.purpose} {self.created_at:%Y-%m-%d}"


class EntryVerification(models.Model):
    """The last time an entry's contact said "Tout est à jour" (shown on the entry, date_maj)."""

    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("entrée"), on_delete=models.CASCADE, related_name="+"
    )
    verified_at = models.DateTimeField(_("vérifiée le"))

    class Meta:
        verbose_name = _("vérification d'entrée")
        verbose_name_plural = _("vérifications d'entrées")
        ordering = ["-verified_at"]

    def __str__(self):
        return f"{self.page_id} {self.verified_at:%Y-%m-%d}"


class DuplicateFlag(models.Model):
    """A public contribution that looks like an existing entry: the moderator sees both."""

    class Reason(models.TextChoices):
        SIRET = "siret", _("même SIRET")
        WEBSITE = "website", _("même site web")
        NAME = "name", _("nom proche dans la même commune")

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("proposition"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    similar_to = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("entrée qui lui ressemble"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("raison"), max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("doublon possible")
        verbose_name_plural = _("doublons possibles")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["page", "similar_to"], name="unique_duplicate_flag")
        ]

    def __str__(self):
        return f"{self.page_id} ~ {self.similar_to_id} ({self.reason})"


class ExternalIdentity(models.Model):
    """Where an imported entry comes from: its id in a national dataset, its pivot (SIRET or RNA),
    its source, and the revision the last import wrote (a later revision means the entry was
    edited on the site since: the next import reports a conflict instead of overwriting)."""

    page = models.OneToOneField(
        "wagtailcore.Page", verbose_name=_("entrée"), on_delete=models.CASCADE, related_name="+"
    )
    external_id = models.CharField(_("identifiant externe"), max_length=255, db_index=True)
    pivot = models.CharField(_("SIRET ou RNA"), max_length=20, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=255)
    source_updated = models.DateField(_("mise à jour à la source"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importée le"))
    revision_id = models.IntegerField(_("révision écrite par l'import"), null=True, blank=True)
    extra = models.JSONField(_("autres champs du schéma"), default=dict, blank=True)

    class Meta:
        verbose_name = _("identité externe")
        verbose_name_plural = _("identités externes")

    def __str__(self):
        return f"{self.source}: {self.external_id}"


class ImportedDuplicate(models.Model):
    """A row of a national-schema file that was not created because it looks like an existing
    entry: the moderator sees it next to that entry, then links the row to it (the next imports
    update that entry) or says it is another place (the next import creates it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("à examiner")
        DISTINCT = "distinct", _("autre lieu : sera créé au prochain import")

    source = models.CharField(_("source"), max_length=255)
    external_id = models.CharField(_("identifiant externe"), max_length=255)
    pivot = models.CharField(_("SIRET ou RNA"), max_length=20, blank=True)
    name = models.CharField(_("nom"), max_length=255)
    commune = models.CharField(_("commune"), max_length=255, blank=True)
    similar_to = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("entrée qui lui ressemble"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("raison"), max_length=10, choices=DuplicateFlag.Reason.choices)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    record = models.JSONField(_("ligne du fichier"), default=dict, blank=True)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    seen_at = models.DateTimeField(_("vu dans un import le"), auto_now=True)

    class Meta:
        verbose_name = _("ligne importée en doublon possible")
        verbose_name_plural = _("lignes importées en doublon possible")
        ordering = ["-seen_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="unique_imported_duplicate"
            )
        ]

    def __str__(self):
        return f"{self.source}: {self.external_id} ~ {self.similar_to_id} ({self.reason})"
