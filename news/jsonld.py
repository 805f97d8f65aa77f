"""schema.org NewsArticle data for an article page (rendered by the ``json_ld`` filter)."""

from django.conf import settings
from django.utils.translation import get_language


def absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def image_url(request, image, spec="fill-1200x630|format-jpeg"):
    if image is None:
        return None
    return absolute(request, image.get_rendition(spec).url)


def organisation_json_ld(request, organisation):
    data = {"@type": "Organization", "name": organisation.name}
    actor_page = organisation.actor_page
    if actor_page is not None and actor_page.live:
        data["url"] = absolute(request, actor_page.get_url(request))
    return data


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
