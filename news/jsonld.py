"""schema.org NewsArticle data for an article page (rendered by the ``json_ld`` filter)."""

from django.conf import settings
from django.utils.translation import get_language

from core.jsonld import absolute, image_url, organisation_json_ld


def article_json_ld(page, request):
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title[:110],
        "description": page.lead,
        "inLanguage": get_language(),
        "mainEntityOfPage": absolute(request, page.get_url(request)),
        "url": absolute(request, page.get_url(request)),
        "publisher": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
    }
    if page.publication_date:
        data["datePublished"] = page.publication_date.isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    cover = image_url(request, page.cover_image)
    if cover:
        data["image"] = [cover]
    if page.organisation is not None:
        data["author"] = organisation_json_ld(request, page.organisation)
    data["keywords"] = [theme.name for theme in page.theme_list]
    return data
