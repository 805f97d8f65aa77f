"""Member organisations: the editorial unit. Each one writes in its own part of the tree.

An organisation's section is three pages, one per public section, so that URLs say what
things are: its directory entry /annuaire/<slug>/ (an ActorPage, with the places it runs
beneath), its news folder /actualites/<slug>/ and its events folder /agenda/<slug>/.
The same three pages exist in the English tree as translations.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationQuerySet(models.QuerySet):
    def for_folder(self, folder, field):
        """The organisation owning ``folder`` (a news or events folder, in any language), or None.

        ``field`` is ``news_page`` or ``events_page``; they point at the French folder, and
        translations share its ``translation_key``.
        """
        if folder is None:
            return None
        return self.filter(**{f"{field}__translation_key": folder.translation_key}).first()

    def publishing_in(self, items, field):
        """The organisations that have something in ``items`` (``field`` leads from an item to them),
        as the choices of a listing filter."""
        return self.filter(pk__in=items.values(field)).only("name", "slug")


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Décochez pour retirer l'accès de sa rédaction (le contenu reste)."),
    )
    group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("groupe de rédaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("collection de médias"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_page = models.OneToOneField(
        "directory.ActorPage",
        verbose_name=_("fiche dans l'annuaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    news_page = models.OneToOneField(
        "news.OrganisationNewsPage",
        verbose_name=_("rubrique d'actualités"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    events_page = models.OneToOneField(
        "events.OrganisationEventsPage",
        verbose_name=_("rubrique d'agenda"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The organisation's own calendar (Nextcloud, Framagenda, Google…), imported as moderated drafts
    # by `manage.py import_calendars` (events/importer.py). The other fields are the last run's result.
    calendar_url = models.URLField(
        _("adresse de votre calendrier (iCalendar)"),
        max_length=500,
        blank=True,
        help_text=_(
            "L'adresse .ics de l'agenda que vous tenez déjà (lien de partage public ou d'abonnement). "
            "Ses événements arrivent ici en brouillon, relus par l'équipe du Parc avant publication."
        ),
    )
    calendar_last_run = models.DateTimeField(
        _("dernière importation"), null=True, blank=True, editable=False
    )
    calendar_status = models.CharField(_("résultat"), max_length=20, blank=True, editable=False)
    calendar_message = models.TextField(
        _("message de la dernière importation"), blank=True, editable=False
    )
    calendar_etag = models.CharField(max_length=255, blank=True, editable=False)
    calendar_last_modified = models.CharField(max_length=100, blank=True, editable=False)
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation membre")
        verbose_name_plural = _("organisations membres")
        ordering = ["name"]

    def __str__(self):
        return self.name
