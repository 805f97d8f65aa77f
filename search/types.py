"""The kinds of result visitors can filter by, mapped to page models (validated keys only)."""

from django.utils.translation import gettext_lazy as _

TYPES = {
    "article": (_("Articles"), ["news.articlepage"]),
    "event": (_("Événements"), ["events.eventpage"]),
    "actor": (_("Acteurs"), ["directory.actorpage"]),
    "place": (_("Lieux"), ["directory.placepage"]),
    "dossier": (_("Dossiers"), ["dossiers.dossierpage"]),
    "page": (_("Pages"), []),  # everything else
}
_BY_MODEL = {model: key for key, (_label, models) in TYPES.items() for model in models}


_keys_by_content_type = {}


def type_key_for(content_type_id):
    """The filter key of a page from its content type id (ContentType's cache: no query), kept by
    id in this process (a search maps up to 500 ids)."""
    key = _keys_by_content_type.get(content_type_id)
    if key is None:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_id(content_type_id)
        key = _BY_MODEL.get(f"{content_type.app_label}.{content_type.model}", "page")
        _keys_by_content_type[content_type_id] = key
    return key
