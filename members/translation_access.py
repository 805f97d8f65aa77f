"""Who may translate which page, page by page.

wagtail-localize checks only the global ``wagtail_localize.submit_translation`` permission in
its "Translate this page" and "Sync translated pages" views. Here the check is per page:

- the park's staff (holders of that permission) keep every right they had;
- anyone else may translate a page only if they may edit it, and, in every target language,
  either edit the existing translation (or alias) or add a page under the translated parent.
  Member editors hold add and change on their own section only (members/roles.py), so they
  translate their organisation's pages and nothing else: never another organisation's pages,
  shared pages (dossiers, standard pages) or the home page.

Nobody without the right to publish a page publishes its translation: wagtail-localize's
editor already hides and refuses "Publish" to them, and ``members.translation_views`` removes
"publish immediately" from the sync form and submits the translation to moderation instead.
"""

from wagtail.models import Page

GLOBAL_PERMISSION = "wagtail_localize.submit_translation"


def is_translation_staff(user):
    return user.is_active and user.has_perm(GLOBAL_PERMISSION)


def can_translate_into(user, page, locale):
    """May ``user`` create or update the translation of the source ``page`` into ``locale``?"""
    if not user.is_active or page.is_root():
        return False
    if is_translation_staff(user):
        return True
    if page.depth <= 2:  # a home page: the park's staff only
        return False
    if not page.permissions_for_user(user).can_edit():
        return False
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.permissions_for_user(user).can_edit()
    parent = page.get_parent().get_translation_or_none(locale)
    if parent is None:
        return False  # members never create the parent pages of the other tree
    return parent.permissions_for_user(user).can_add_subpage()


def translatable_locales(user, page, locales):
    return [locale for locale in locales if can_translate_into(user, page, locale)]


def can_translate_any(user, page):
    from wagtail.models import Locale

    return bool(translatable_locales(user, page, Locale.objects.exclude(pk=page.locale_id)))


def can_publish_translations(user, pages):
    return all(page.permissions_for_user(user).can_publish() for page in pages)


def is_page(instance):
    return isinstance(instance, Page)
