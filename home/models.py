from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
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

    content_panels = [*Page.content_panels, FieldPanel("purpose"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("purpose")]

    max_count = 1  # translations are copies, not new pages: one home per language
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "directory.DirectoryIndexPage",
        "news.NewsIndexPage",
        "events.EventIndexPage",
        "dossiers.DossierIndexPage",
    ]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = (
            self.get_children().live().public().exclude(content_type__model="standardpage")
        )
        return context


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
