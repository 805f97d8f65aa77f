"""schema.org Event data for an event page (rendered by the ``json_ld`` filter)."""

from django.utils.translation import get_language

from core.jsonld import absolute, image_url, organisation_json_ld


def event_json_ld(page, request, organisers=()):
    url = absolute(request, page.get_url(request))
    if page.all_day:
        start, end = page.local_start.date().isoformat(), page.local_end.date().isoformat()
    else:
        start, end = page.local_start.isoformat(), page.local_end.isoformat()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "description": page.lead,
        "startDate": start,
        "endDate": end,
        "eventStatus": "https://schema.org/EventScheduled",
        "url": url,
        "inLanguage": get_language(),
    }
    if page.is_recurring:
        data["eventSchedule"] = page.schema_schedule()
    locations = []
    if page.location_name:
        place = {"@type": "Place", "name": page.location_name}
        commune = page.commune or (page.place.commune if page.place_id else None)
        if commune is not None:
            place["address"] = {
                "@type": "PostalAddress",
                "addressLocality": commune.name,
                "postalCode": commune.postal_code.split("|")[0],
                "addressCountry": "FR",
            }
        if page.place_id:
            place["url"] = absolute(request, page.place.get_url(request))
        locations.append(place)
    if page.online_url:
        locations.append({"@type": "VirtualLocation", "url": page.online_url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    mode = "Mixed" if len(locations) > 1 else ("Online" if page.online_url else "Offline")
    data["eventAttendanceMode"] = f"https://schema.org/{mode}EventAttendanceMode"
    organisers = [organisation_json_ld(request, organisation) for organisation in organisers]
    if organisers:
        data["organizer"] = organisers
    image = image_url(request, page.social_image)
    if image:
        data["image"] = [image]
    if page.registration_url or page.registration_open:
        data["offers"] = {
            "@type": "Offer",
            "url": page.registration_url or url,
            "availability": "https://schema.org/SoldOut"
            if page.places_left == 0
            else "https://schema.org/InStock",
        }
    return data
