"""News: /actualites/ lists every organisation's articles; each organisation writes in its folder.

Tree: NewsIndexPage (/actualites/) → OrganisationNewsPage (/actualites/asoft/) → ArticlePage.
An article's organisation is taken from the folder it sits in (see ``ArticlePage.save``), so
editors never pick it and cannot get it wrong. Feeds (RSS and Atom) hang off the index page:
/actualites/flux/rss/, /actualites/flux/atom/theme/<slug>/, /actualites/flux/rss/organisation/<slug>/.
"""

from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BodyBlock
from core.listing_filters import ListingFilters
from core.models import BasePage, SectionIndexPage
from core.pagination import paginate
from members.models import Organisation
from taxonomy.models import Theme

ARTICLES_PER_PAGE = 12
FEED_FORMATS = ("rss", "atom")


def articles_queryset():
    """Live, public articles with everything a listing card shows, in a fixed number of queries."""
    from images.models import CustomRendition

    return (
        ArticlePage.objects.live()
        .public()
        .defer_streamfields()
        .select_related("organisation", "cover_image", "locale")
        .prefetch_related(
            "themes",
            Prefetch("cover_image__renditions", queryset=CustomRendition.objects.all()),
        )
        .order_by("-first_published_at", "-pk")
    )


class NewsIndexPage(RoutablePageMixin, SectionIndexPage):
    subpage_types = ["news.OrganisationNewsPage", "news.ArticlePage"]

    class Meta:
        verbose_name = _("page des actualités")

    def articles(self):
        return articles_queryset().descendant_of(self).filter(locale_id=self.locale_id)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.shared_listing(request, "news", lambda: self.listing_context(request)))
        return context

    def listing_context(self, request):
        articles = self.articles()  # one query for view restrictions, reused below
        filters = ListingFilters(
            request,
            themes=Theme.options(self.locale_id),
            organisations=Organisation.objects.publishing_in(articles, "organisation"),
            organisation_field="organisation",
        )
        context = filters.context()
        context.update(
            paginate(request, filters.apply(articles), ARTICLES_PER_PAGE, filters.params)
        )
        context["page_obj"].object_list = list(context["page_obj"].object_list)  # read once
        context["feeds"] = self.feeds(theme=filters.theme, organisation=filters.organisation)
        return context

    def feeds(self, theme=None, organisation=None):
        """The feed links for <head>: all news, plus the theme's or organisation's own feed."""
        links = [
            (fmt, self.url + self.reverse_subpage("feed", args=[fmt]), None) for fmt in FEED_FORMATS
        ]
        if theme is not None:
            links += [
                (
                    fmt,
                    self.url + self.reverse_subpage("theme_feed", args=[fmt, theme.slug]),
                    theme.name,
                )
                for fmt in FEED_FORMATS
            ]
        if organisation is not None:
            links += [
                (
                    fmt,
                    self.url
                    + self.reverse_subpage("organisation_feed", args=[fmt, organisation.slug]),
                    organisation.name,
                )
                for fmt in FEED_FORMATS
            ]
        return links

    @path("flux/<str:fmt>/", name="feed")
    def feed(self, request, fmt):
        return self._feed(request, fmt)

    @path("flux/<str:fmt>/theme/<slug:slug>/", name="theme_feed")
    def theme_feed(self, request, fmt, slug):
        from taxonomy.models import Theme

        theme = Theme.objects.filter(locale_id=self.locale_id, slug=slug).first()
        if theme is None:
            raise Http404(_("Ce thème n'existe pas."))
        return self._feed(request, fmt, theme=theme)

    @path("flux/<str:fmt>/organisation/<slug:slug>/", name="organisation_feed")
    def organisation_feed(self, request, fmt, slug):

        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise Http404(_("Cette organisation n'existe pas."))
        return self._feed(request, fmt, organisation=organisation)

    def _feed(self, request, fmt, **filters):
        from .feeds import ArticleFeed

        if fmt not in FEED_FORMATS:
            raise Http404(_("Ce format de flux n'existe pas."))
        return ArticleFeed(self, fmt=fmt, **filters)(request)


class OrganisationNewsPage(BasePage):
    """One member organisation's news folder; lists its articles."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = ["news.ArticlePage"]

    class Meta:
        verbose_name = _("actualités d'une organisation")

    @property
    def owner_organisation(self):
        if not hasattr(self, "_owner_organisation"):
            self._owner_organisation = Organisation.objects.for_folder(self, "news_page")
        return self._owner_organisation

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            self.shared_listing(request, "organisation-news", lambda: self.listing_context(request))
        )
        return context

    def listing_context(self, request):
        context = paginate(request, articles_queryset().child_of(self), ARTICLES_PER_PAGE)
        context["page_obj"].object_list = list(context["page_obj"].object_list)  # read once
        context["organisation"] = self.owner_organisation
        index = NewsIndexPage.objects.filter(locale_id=self.locale_id).first()
        context["feeds"] = index.feeds(organisation=self.owner_organisation) if index else []
        return context


class ArticlePage(BasePage):
    lead = models.TextField(
        _("chapô"), max_length=500, help_text=_("Deux ou trois phrases qui donnent envie de lire.")
    )
    cover_image = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("image de couverture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("contenu"))
    themes = ParentalManyToManyField(
        "taxonomy.Theme", verbose_name=_("thèmes"), blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text=_("Renseignée d'après la rubrique où l'article est rangé."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        FieldPanel("themes"),
        FieldPanel("organisation", read_only=True),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("organisation"),
    ]
    parent_page_types = ["news.OrganisationNewsPage", "news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def save(self, *args, **kwargs):
        # The one place where an article gets its organisation: from the folder it is filed in.
        update_fields = kwargs.get("update_fields")
        if self.path and (update_fields is None or "organisation" in update_fields):
            parent = self.get_parent()
            if parent is not None and parent.specific_class is OrganisationNewsPage:
                self.organisation = (
                    Organisation.objects.for_folder(parent, "news_page") or self.organisation
                )
        return super().save(*args, **kwargs)

    @cached_property
    def theme_list(self):
        """The article's themes, read once (prefetched in listings)."""
        return list(self.themes.all())

    @property
    def publication_date(self):
        return self.first_published_at or self.latest_revision_created_at

    def related_articles(self, limit=3):
        """Other live articles sharing a theme with this one, newest first (two queries)."""
        slugs = [theme.slug for theme in self.theme_list]
        if not slugs:
            return []
        return list(
            articles_queryset()
            .filter(locale_id=self.locale_id, themes__slug__in=slugs)
            .exclude(pk=self.pk)
            .distinct()[:limit]
        )

    def get_context(self, request, *args, **kwargs):
        from .jsonld import article_json_ld

        context = super().get_context(request, *args, **kwargs)

        def build():
            if self.organisation_id:
                self.organisation = Organisation.objects.select_related("actor_page").get(
                    pk=self.organisation_id
                )
            index = NewsIndexPage.objects.filter(locale_id=self.locale_id).first()
            return {
                "theme_list": self.theme_list,
                "organisation": self.organisation if self.organisation_id else None,
                "related_articles": self.related_articles(),
                "feeds": index.feeds(organisation=self.organisation) if index else [],
                "json_ld": article_json_ld(self, request),
            }

        shared = self.shared_context(request, "article", build)
        self.theme_list = shared["theme_list"]  # the cached property, for the template
        if shared["organisation"] is not None:
            self.organisation = shared["organisation"]
        context.update(
            related_articles=shared["related_articles"],
            feeds=shared["feeds"],
            json_ld=shared["json_ld"],
        )
        return context
