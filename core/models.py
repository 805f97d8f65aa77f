"""Site-wide pieces: settings, navigation, and the mixins shared by page types."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index


@register_setting(icon="site")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    """Contact details, social links and partner logos, edited by the park's staff."""

    organisation_name = models.CharField(
        _("structure porteuse"),
        max_length=200,
        default="Parc naturel régional des Baronnies provençales",
    )
    address = models.TextField(_("adresse postale"), blank=True)
    email = models.EmailField(_("courriel de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    peertube_url = models.URLField(_("PeerTube"), blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("address"),
                FieldPanel("email"),
                FieldPanel("phone"),
            ],
            heading=_("Coordonnées"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("mastodon_url"),
                FieldPanel("facebook_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("peertube_url"),
            ],
            heading=_("Réseaux sociaux"),
        ),
        InlinePanel("partners", heading=_("Partenaires"), label=_("Partenaire")),
    ]

    class Meta:
        verbose_name = _("paramètres du site")

    @property
    def social_links(self):
        links = [
            ("Mastodon", self.mastodon_url),
            ("Facebook", self.facebook_url),
            ("LinkedIn", self.linkedin_url),
            ("PeerTube", self.peertube_url),
        ]
        return [(name, url) for name, url in links if url]


class Partner(Orderable):
    settings = ParentalKey(SiteSettings, related_name="partners", on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=200)
    url = models.URLField(_("site web"), blank=True)
    logo = models.ForeignKey(
        "images.CustomImage", verbose_name=_("logo"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("url"), FieldPanel("logo")]

    class Meta(Orderable.Meta):
        verbose_name = _("partenaire")


class Menu(TranslatableMixin, ClusterableModel):
    """A list of links shown in the header or the footer, one copy per language."""

    HEADER = "header"
    FOOTER = "footer"
    PLACES = [(HEADER, _("Navigation principale")), (FOOTER, _("Pied de page"))]

    place = models.CharField(_("emplacement"), max_length=20, choices=PLACES)
    footer_text = models.TextField(
        _("texte du pied de page"), blank=True, help_text=_("Pour le pied de page seulement.")
    )

    panels = [FieldPanel("place"), FieldPanel("footer_text"), InlinePanel("items", label=_("Lien"))]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        unique_together = [("translation_key", "locale"), ("place", "locale")]

    def __str__(self):
        return f"{self.get_place_display()} ({self.locale.language_code})"


class MenuItem(Orderable):
    menu = ParentalKey(Menu, related_name="items", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField(
        _("intitulé"), max_length=60, blank=True, help_text=_("Par défaut, le titre de la page.")
    )

    panels = [FieldPanel("page"), FieldPanel("label")]

    @property
    def text(self):
        return self.label or self.page.title


class PublicPageQuerySet(PageQuerySet):
    """Wagtail's page queryset, whose ``public()`` (and ``private()``, ``not_public()``) reads the
    private sections from the cache of the current content version (``core.routing``) instead of
    querying the view restrictions at each call: the same pages, without a query."""

    def private_q(self):
        from core.routing import private_section_paths

        q = Q()
        for path in private_section_paths():
            q |= Q(path__startswith=path)  # the restricted page and its descendants
        return q if q else Q(pk__in=[])


PublicPageManager = PageManager.from_queryset(PublicPageQuerySet)


def all_pages():
    """Every page, as ``Page.objects``, with the ``public()`` of ``PublicPageQuerySet``."""
    return PublicPageQuerySet(Page).order_by("path")


class BasePage(Page):
    """Fields every public page shares: an image for sharing and listings."""

    social_image = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("image de partage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Montrée quand la page est partagée, et dans les listes."),
    )

    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]

    # .public() without a query (every page type inherits it).
    objects = PublicPageManager()
    # Related rows (foreign keys) a page of this type shows on every view: read with the page
    # when a request is routed to it (core/routing.py), not one query each.
    served_with = ()

    class Meta:
        abstract = True

    def route(self, request, path_components):
        """Wagtail's routing, with every page of the rest of the path read in one query
        (core/routing.py) instead of two queries per segment."""
        if not path_components:
            return super().route(request, path_components)
        from core.routing import SlowPath, walk

        ancestors = getattr(self, "_route_ancestors", None)
        try:
            return walk(
                self,
                request,
                path_components,
                ancestors=None if ancestors is None else [*ancestors],
            )
        except SlowPath:
            return super().route(request, path_components)

    def shared_context(self, request, name, build, minutes=None):
        """``build()`` (a dict of context) kept in this process for the content version: for what
        only the published content decides, the same for every visitor of this page on this host
        and in this language (core/page_cache.py ``version_memo``). With ``minutes``, also renewed
        that often (listings of what comes next, which the passing time changes). The values are
        shared between requests: never mutate them. A preview (``request.is_preview``, set by
        Wagtail's preview request) builds its own."""
        from django.utils import timezone, translation

        from core.page_cache import version_memo

        if getattr(request, "is_preview", False):
            return build()  # a preview (a draft's content, Wagtail's preview request): never kept
        key = (name, self.pk, request.scheme, request.get_host(), translation.get_language())
        if minutes:
            key += (int(timezone.now().timestamp() // (60 * minutes)),)
        return version_memo(key, build)

    def shared_listing(self, request, name, build, minutes=None):
        """``shared_context`` for a listing that reads the query string: kept per query string,
        with what the listing declared to the page cache (``declare_query``) replayed."""
        import hashlib

        def build_and_declared():
            return (
                build(),
                getattr(request, "page_cache_params", None),
                getattr(request, "page_cache_query", None),
            )

        digest = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()
        context, params, query = self.shared_context(
            request, (name, digest), build_and_declared, minutes
        )
        if params is not None:
            request.page_cache_params = params
        if query is not None:
            request.page_cache_query = query
        return context

    def get_view_restrictions(self):
        """Wagtail's, reading the ancestors that routing already loaded when it did, and the
        restrictions from the cache of the current content version (core/routing.py)."""
        ancestors = getattr(self, "_route_ancestors", None)
        if ancestors is None or any(page.alias_of_id for page in ancestors) or self.alias_of_id:
            return super().get_view_restrictions()
        from core.routing import view_restrictions_by_page

        restricted = view_restrictions_by_page()
        return [
            r for pk in (self.pk, *(page.pk for page in ancestors)) for r in restricted.get(pk, ())
        ]


class SectionIndexPage(BasePage):
    """An index page for one section of the site (directory, news, agenda, dossiers)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    max_count = 1
    parent_page_types = ["home.HomePage"]

    class Meta:
        abstract = True
