"""Vocabularies (themes, sectors, kinds, services) in the page's language.

An English page that is an alias of a French one (onboarding leaves members' English entries so)
points at the French snippets; so may a page whose English vocabulary was added later. Wherever
a translation of the snippet exists, it is the one shown. One query per model, whatever the
number of objects.
"""

from wagtail.models import Locale


def localized(objects, locale=None):
    """``objects`` (translatable snippets) in ``locale`` (the active one) where a translation
    exists, the original otherwise; same order."""
    objects = [obj for obj in objects if obj is not None]
    if not objects:
        return []
    locale = locale or Locale.get_active()
    foreign = [obj for obj in objects if obj.locale_id != locale.pk]
    if not foreign:
        return objects
    model = type(foreign[0])
    found = {
        obj.translation_key: obj
        for obj in model.objects.filter(
            translation_key__in=[obj.translation_key for obj in foreign], locale=locale
        )
    }
    return [found.get(obj.translation_key, obj) if obj.locale_id != locale.pk else obj for obj in objects]


def localized_one(obj, locale=None):
    result = localized([obj], locale)
    return result[0] if result else None
