"""News: /actualites/ lists every organisation's articles; each organisation writes in its folder.

Tree: NewsIndexPage (/actualites/) → OrganisationNewsPage (/actualites/asoft/) → ArticlePage.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.models import BasePage, SectionIndexPage


class NewsIndexPage(SectionIndexPage):
    subpage_types = ["news.OrganisationNewsPage", "news.ArticlePage"]

    class Meta:
        verbose_name = _("page des actualités")


class OrganisationNewsPage(BasePage):
    """One member organisation's news folder; lists its articles."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("actualités d'une organisation")


class ArticlePage(BasePage):
    lead = models.TextField(_("chapô"), max_length=500, help_text=_("Deux ou trois phrases qui donnent envie de lire."))
    cover_image = models.ForeignKey(
        "images.CustomImage", verbose_name=_("image de couverture"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"))
    themes = ParentalManyToManyField("taxonomy.Theme", verbose_name=_("thèmes"), blank=True, related_name="+")
    organisation = models.ForeignKey(
        "members.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="articles",
        help_text=_("Renseignée d'après la rubrique où l'article est rangé."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("themes"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body"), index.FilterField("organisation")]
    parent_page_types = ["news.OrganisationNewsPage", "news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
