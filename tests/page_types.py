"""One URL per public page type, for the query-budget test and the benchmark (bench/run.py),
so that both measure the same list. Needs the database."""


def sample_urls(newest=False):
    """{page type: URL}, each taken from the first (or, with ``newest``, the last created) live
    French page of its type; types with no such page are left out."""
    from wagtail.models import Locale

    from directory.models import ActorPage, PlacePage
    from events.models import EventPage, OrganisationEventsPage
    from news.models import ArticlePage, OrganisationNewsPage

    fr = Locale.objects.get(language_code="fr")

    def url(model):
        page = model.objects.live().filter(locale=fr).order_by("-pk" if newest else "pk").first()
        return page.url if page else None

    urls = {
        "home": "/",
        "directory index": "/annuaire/",
        "directory search": "/annuaire/?q=numerique",
        "actor page": url(ActorPage),
        "place page": url(PlacePage),
        "news index": "/actualites/",
        "organisation news": url(OrganisationNewsPage),
        "article": url(ArticlePage),
        "agenda": "/agenda/",
        "organisation agenda": url(OrganisationEventsPage),
        "event": url(EventPage),
        "dossiers": "/dossiers/",
        "standard page": "/le-reseau/",
        "site search": "/recherche/?q=numerique",
    }
    return {label: value for label, value in urls.items() if value}
