"""schema.org JSON-LD of the directory's entry pages (as news/jsonld.py and events/jsonld.py do for
articles and events). Reads the page and the context its ``get_context`` built; imports no model."""


def entry_json_ld(page, request, context):
    """schema.org data: Organization for an actor, LocalBusiness (a Place) for a place."""
    is_actor = page._meta.model_name == "actorpage"
    data = {
        "@context": "https://schema.org",
        "@type": "Organization" if is_actor else "LocalBusiness",
        "name": page.title,
        "description": page.summary,
        "url": page.get_full_url(request),
    }
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.isoformat()
    if page.phone:
        data["telephone"] = page.phone
    if page.email:
        data["email"] = page.email
    if page.commune_id or page.address:
        address = {"@type": "PostalAddress", "addressCountry": "FR"}
        if page.address:
            address["streetAddress"] = page.address
        if page.commune_id:
            address["addressLocality"] = page.commune.name
            address["postalCode"] = page.commune.postal_code.split("|")[0]
        data["address"] = address
    point = page.point
    if point:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": point[0], "longitude": point[1]}
    same_as = [page.website] if page.website else []
    if is_actor:
        same_as += [url for url in (page.mastodon_url, page.facebook_url, page.linkedin_url) if url]
        if context.get("places"):
            data["location"] = [
                {"@type": "Place", "name": place.title} for place in context["places"]
            ]
    else:
        hours = context.get("opening_hours")
        if hours:
            data["openingHoursSpecification"] = hours.schema_org()
        elif page.opening_hours:
            data["openingHours"] = page.opening_hours
        if page.capacity:
            data["maximumAttendeeCapacity"] = page.capacity
        if page.wheelchair:
            data["amenityFeature"] = [
                {
                    "@type": "LocationFeatureSpecification",
                    "name": "wheelchair",
                    "value": page.wheelchair,
                }
            ]
        if context.get("operators"):
            data["parentOrganization"] = [
                {"@type": "Organization", "name": actor.title} for actor in context["operators"]
            ]
    if same_as:
        data["sameAs"] = same_as
    keywords = [term.name for term in context.get("themes", []) + context.get("sectors", [])]
    if keywords:
        data["keywords"] = ", ".join(keywords)
    return data
