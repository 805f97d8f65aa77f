"""Helpers shared by the sections' schema.org JSON-LD (news/jsonld.py, events/jsonld.py),
rendered by the ``json_ld`` filter (core/templatetags/jsonld_tags.py)."""


def absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def image_url(request, image, spec="fill-1200x630|format-jpeg"):
    if image is None:
        return None
    return absolute(request, image.get_rendition(spec).url)


def organisation_json_ld(request, organisation):
    """schema.org Organization of a member organisation (``members.Organisation``), with the URL
    of its live directory entry."""
    data = {"@type": "Organization", "name": organisation.name}
    actor_page = organisation.actor_page
    if actor_page is not None and actor_page.live:
        data["url"] = absolute(request, actor_page.get_url(request))
    return data
