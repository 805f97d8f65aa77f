"""Vocabularies (themes, sectors, kinds, services) in the page's language.

An English page that is an alias of a French one (onboarding leaves members' English entries so)
points at the French snippets; so may a page whose English vocabulary was added later. Wherever
a translation of the snippet exists, it is the one shown. One query per model, whatever the
number of objects.
"""

from wagtail.models import Locale


def localized(objects, locale=None):
    """``objects`` (translatable snippets) in ``locale`` (a Locale or its id; the active one by
    default) where a translation exists, the original otherwise; same order."""
    objects = [obj for obj in objects if obj is not None]
    if not objects:
        return []
    locale_id = locale if isinstance(locale, int) else (locale or Locale.get_active()).pk
    foreign = [obj for obj in objects if obj.locale_id != locale_id]
    if not foreign:
        return objects
    model = type(foreign[0])
    found = {
        obj.translation_key: obj
        for obj in model.objects.filter(
            translation_key__in=[obj.translation_key for obj in foreign], locale_id=locale_id
        )
    }
    return [
        found.get(obj.translation_key, obj) if obj.locale_id != locale_id else obj
        for obj in objects
    ]


def localized_one(obj, locale=None):
    result = localized([obj], locale)
    return result[0] if result else None
