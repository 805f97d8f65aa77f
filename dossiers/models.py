"""Thematic dossiers: /dossiers/ presents the network's four themes, one DossierPage each.

A dossier has a curated part (introduction and StreamField body edited by the park's staff)
and an automatic part (latest articles, upcoming events and directory entries of its theme).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.models import BasePage, PublicPageManager, SectionIndexPage

from .blocks import DossierBodyBlock


def restricted():
    """An Exists() true for pages under a view restriction (no extra query, unlike ``.public()``)."""
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Length, Substr
    from wagtail.models import PageViewRestriction

    return Exists(
        PageViewRestriction.objects.annotate(prefix_length=Length("page__path")).filter(
            page__path=Substr(OuterRef("path"), 1, "prefix_length")
        )
    )


LATEST_ARTICLES = 3
UPCOMING_EVENTS = 3
DIRECTORY_ENTRIES = 6


class DossierIndexPage(SectionIndexPage):
    """The /dossiers/ section: one dossier per theme of the network."""

    subpage_types = ["dossiers.DossierPage"]

    class Meta:
        verbose_name = _("page des dossiers")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            self.shared_context(request, "dossiers", lambda: {"dossiers": self.dossiers()})
        )
        return context

    def dossiers(self):
        dossiers = DossierPage.objects.child_of(self).live().public().select_related("theme")
        return list(dossiers.order_by("theme__sort_order", "title"))


class DossierPageManager(PublicPageManager):
    """Loads the theme with the page (Wagtail fetches the specific page through this manager)."""

    def get_queryset(self):
        return super().get_queryset().select_related("theme")


class DossierPage(BasePage):
    """What the network knows on one theme, curated by staff and fed by the members' content."""

    objects = DossierPageManager()

    theme = models.ForeignKey(
        "taxonomy.Theme",
        verbose_name=_("thème"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Un seul dossier par thème."),
    )
    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link"])
    body = StreamField(DossierBodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("theme"),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["dossiers.DossierIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def clean(self):
        super().clean()
        if not self.theme_id:
            return
        duplicates = DossierPage.objects.filter(
            locale_id=self.locale_id, theme__translation_key=self.theme.translation_key
        ).exclude(pk=self.pk)
        if duplicates.exists():
            raise ValidationError({"theme": _("Ce thème a déjà son dossier.")})

    # --- the automatic part ----------------------------------------------------------

    def _of_theme(self, model):
        """Live public pages of ``model`` in this dossier's language tagged with its theme."""
        return (
            model.objects.live()
            .exclude(restricted())
            .filter(locale_id=self.locale_id, themes__translation_key=self.theme.translation_key)
            .distinct()
        )

    def latest_articles(self):
        from news.models import ArticlePage

        return list(
            self._of_theme(ArticlePage)
            .select_related("cover_image")
            .order_by("-first_published_at")[:LATEST_ARTICLES]
        )

    def upcoming_events(self):
        from events.models import EventPage, with_next_start

        return list(
            with_next_start(self._of_theme(EventPage)).select_related("commune")[:UPCOMING_EVENTS]
        )

    def directory_entries(self):
        from directory.models import ActorPage, PlacePage

        entries = []
        for model in (ActorPage, PlacePage):
            entries += (
                self._of_theme(model)
                .select_related("commune")
                .order_by("title")[:DIRECTORY_ENTRIES]
            )
        return sorted(entries, key=lambda page: page.title.lower())

    def section_links(self, request):
        """URLs of the news, agenda and directory filtered by this theme, in this language (kept
        with the page's context for the content version: a renamed section shows at once)."""
        urls = self._section_urls(request)
        return {key: f"{url}?theme={self.theme.slug}" for key, url in urls.items()}

    def _section_urls(self, request):
        from directory.pages import DirectoryIndexPage
        from events.models import EventIndexPage
        from news.models import NewsIndexPage

        indexes = (
            Page.objects.live()
            .type(NewsIndexPage, EventIndexPage, DirectoryIndexPage)
            .filter(locale_id=self.locale_id)
            .select_related("content_type")
        )
        keys = {NewsIndexPage: "news", EventIndexPage: "events", DirectoryIndexPage: "directory"}
        links = {}
        for page in indexes:
            model = page.content_type.model_class()
            if model in keys:
                links[keys[model]] = page.get_url(request)
        return links

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def build():
            return {
                "articles": self.latest_articles(),
                "events": self.upcoming_events(),
                "entries": self.directory_entries(),
                "theme_links": self.section_links(request),
            }

        # The upcoming events change with the time too: renewed every minute.
        context.update(self.shared_context(request, "dossier", build, minutes=1))
        return context
