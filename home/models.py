from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.models import BasePage


class HomePage(BasePage):
    """The site's home page: one per language."""

    purpose = models.TextField(
        _("raison d'être du réseau"),
        max_length=400,
        help_text=_("Deux phrases qui disent ce que fait le réseau."),
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    join_title = models.CharField(
        _("titre de l'appel"), max_length=120, default=_("Rejoindre le réseau")
    )
    join_text = models.TextField(
        _("texte de l'appel"),
        max_length=400,
        blank=True,
        help_text=_("Une ou deux phrases qui disent qui peut rejoindre le réseau et pourquoi."),
    )
    join_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page de l'appel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Le formulaire « Rejoindre le réseau », en général."),
    )
    join_button = models.CharField(
        _("texte du bouton"), max_length=60, default=_("Demander à rejoindre le réseau")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        MultiFieldPanel(
            [
                FieldPanel("join_title"),
                FieldPanel("join_text"),
                PageChooserPanel("join_page"),
                FieldPanel("join_button"),
            ],
            heading=_("Appel à rejoindre le réseau"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("purpose")]

    max_count = 1  # translations are copies, not new pages: one home per language
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "directory.DirectoryIndexPage",
        "news.NewsIndexPage",
        "events.EventIndexPage",
        "dossiers.DossierIndexPage",
        "contact.FormPage",
    ]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        """Filled automatically: next events, latest news, the directory and the dossiers.

        A fixed number of queries whatever the volume of content.
        """
        from directory.models import DirectoryEntry
        from directory.pages import DirectoryIndexPage
        from dossiers.models import DossierPage, restricted
        from events.models import EventIndexPage, EventPage, with_next_start
        from news.models import ArticlePage, NewsIndexPage

        context = super().get_context(request, *args, **kwargs)

        def visible(model):
            return model.objects.live().filter(locale_id=self.locale_id).exclude(restricted())

        def build():
            return {
                "events": list(with_next_start(visible(EventPage)).select_related("commune")[:3]),
                "articles": list(
                    visible(ArticlePage).order_by("-first_published_at")[:HOME_ARTICLES]
                ),
                "dossiers": list(
                    visible(DossierPage).select_related("theme").order_by("theme__sort_order")
                ),
                "directory_count": DirectoryEntry.objects.live()
                .filter(locale_id=self.locale_id)
                .exclude(restricted())
                .count(),
                "section_urls": self.section_urls(
                    request,
                    {
                        "news": NewsIndexPage,
                        "events": EventIndexPage,
                        "directory": DirectoryIndexPage,
                    },
                ),
            }

        # The next events change with the time too: renewed every minute.
        context.update(self.shared_context(request, "home", build, minutes=1))
        return context

    def section_urls(self, request, models_by_key):
        """URLs of the home page's section children of the given types, from one query."""
        keys = {model: key for key, model in models_by_key.items()}
        sections = (
            Page.objects.child_of(self)
            .live()
            .type(*models_by_key.values())
            .select_related("content_type")
        )
        return {
            keys[page.content_type.model_class()]: page.get_url(request)
            for page in sections
            if page.content_type.model_class() in keys
        }


HOME_ARTICLES = 3


class StandardPage(BasePage):
    """A plain page: presentation of the network, legal notice, accessibility, privacy."""

    intro = RichTextField(_("chapô"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("page simple")
        verbose_name_plural = _("pages simples")
