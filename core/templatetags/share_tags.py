"""Sharing and indexing: the page's share image, description, and the network's JSON-LD."""

import json

from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

IMAGE_FIELDS = ("social_image", "cover_image", "logo")
DESCRIPTION_FIELDS = ("search_description", "lead", "summary", "purpose", "intro", "introduction")
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def share_image(page):
    """The page's own image for sharing: its share image, else its cover or logo."""
    for name in IMAGE_FIELDS:
        image = getattr(page, name, None)
        if image is not None:
            return image
    return None


ARTICLE_TYPES = {"news.articlepage"}


@register.simple_tag
def og_type(page):
    return "article" if page.specific_class._meta.label_lower in ARTICLE_TYPES else "website"


@register.simple_tag
def share_description(page):
    for name in DESCRIPTION_FIELDS:
        value = getattr(page, name, "")
        if value:
            text = " ".join(strip_tags(str(value)).split())
            return text[:297] + "…" if len(text) > 300 else text
    return ""


def json_ld(data):
    """A JSON-LD script element; <, > and & are escaped so content cannot close it."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def organization_json_ld(context):
    """schema.org Organization for the network (home page)."""
    request = context["request"]
    page = context.get("page")
    from core.templatetags.site_tags import frame_data

    site_settings = frame_data(request)["contact"]  # cached with the site frame: no query
    base = f"{request.scheme}://{request.get_host()}"
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Innover en Baronnies provençales",
        "url": base + (page.url if page is not None else "/"),
        "logo": base + "/static/img/logo.svg",
        "areaServed": "Baronnies provençales (Drôme, Hautes-Alpes)",
    }
    if page is not None and getattr(page, "purpose", ""):
        data["description"] = page.purpose
    if site_settings is not None:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": site_settings["organisation_name"],
        }
        if site_settings["email"]:
            data["email"] = site_settings["email"]
        if site_settings["phone"]:
            data["telephone"] = site_settings["phone"]
        if site_settings["address"]:
            data["address"] = {
                "@type": "PostalAddress",
                "streetAddress": " ".join(site_settings["address"].split()),
            }
        same_as = [url for _name, url in site_settings["social_links"]]
        if same_as:
            data["sameAs"] = same_as
    return json_ld(data)
