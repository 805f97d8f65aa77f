"""RSS 2.0 and Atom 1.0 feeds of the news, built with Django's syndication framework.

One feed class serves every variant (all news, one theme, one organisation), for the locale
of the index page that routes it (see ``NewsIndexPage`` routes).
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_LENGTH = 20


class ArticleFeed(Feed):
    def __init__(self, index, fmt="rss", theme=None, organisation=None):
        super().__init__()
        self.index = index
        self.theme = theme
        self.organisation = organisation
        self.feed_type = Atom1Feed if fmt == "atom" else Rss201rev2Feed
        self.language = index.locale.language_code
        self.request = None

    def get_feed(self, obj, request):
        self.request = request
        return super().get_feed(obj, request)

    def title(self):
        site = _("Innover en Baronnies provençales")
        if self.theme is not None:
            return _("%(site)s · Actualités · %(theme)s") % {"site": site, "theme": self.theme.name}
        if self.organisation is not None:
            return _("%(site)s · Actualités · %(organisation)s") % {
                "site": site,
                "organisation": self.organisation.name,
            }
        return _("%(site)s · Actualités") % {"site": site}

    def link(self):
        return self.index.get_url(self.request)

    def description(self):
        return _("Les articles publiés par les membres du réseau, relus par l'équipe du Parc.")

    subtitle = description

    def items(self):
        articles = self.index.articles()
        if self.theme is not None:
            articles = articles.filter(themes__slug=self.theme.slug)
        if self.organisation is not None:
            articles = articles.filter(organisation=self.organisation)
        return articles[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return self.request.build_absolute_uri(item.get_url(self.request))

    def item_pubdate(self, item):
        return item.publication_date

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.organisation.name if item.organisation else None

    def item_categories(self, item):
        return [theme.name for theme in item.theme_list]
