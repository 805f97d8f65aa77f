"""Where each page's translation stands, and in which language a page's content is written.

- A page's **content language** is its locale's, except for an alias of a page in another
  language (onboarding leaves members' English pages so until they are translated): its
  content is the original's. The untranslated fallback (core/middleware.py) is the other case
  of original content inside the other language's frame.
- A translation is **out of date** when its original was published after the translation's
  live content was prepared: after the later of wagtail-localize's last synchronisation
  (``TranslationSource.last_updated_at``) and the creation of the translation's live revision,
  taking the earlier of the two when both exist (a synchronisation not yet approved does not
  make the live page current). Pages translated without wagtail-localize use their live
  revision's date.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import cached_property
from wagtail.models import Locale, Page, Revision, WorkflowState
from wagtail_localize.models import TranslationSource

MISSING = "missing"  # no translation, or an alias of the original
PENDING = "pending"  # a translation exists but is not live yet (draft, in moderation)
OUTDATED = "outdated"  # live, but the original was published since
CURRENT = "current"


LOCALE_CODES_KEY = "core:locale-codes"


def locale_codes():
    """{locale id: language code}; the locales change only by migration or in the admin, so the
    mapping is kept in the shared cache (dropped when a locale is saved or deleted) and in this
    process for the current site version (which a locale's change renews)."""
    from core.page_cache import site_memo

    return site_memo(LOCALE_CODES_KEY, _shared_locale_codes)


def _shared_locale_codes():
    codes = cache.get(LOCALE_CODES_KEY)
    if codes is None:
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        cache.set(LOCALE_CODES_KEY, codes, 3600)
    return codes


def forget_locale_codes():
    """Drop the cached codes (a locale was saved or deleted: core/signal_handlers.py)."""
    cache.delete(LOCALE_CODES_KEY)


def default_language():
    return settings.LANGUAGE_CODE


def content_language(page, codes=None):
    """The language ``page``'s content is written in (no query for the common cases)."""
    codes = codes or locale_codes()
    own = codes.get(page.locale_id)
    if not getattr(page, "alias_of_id", None):
        return own
    original = getattr(page, "_alias_language", None)
    if original is None:
        original = codes.get(
            Page.objects.filter(pk=page.alias_of_id).values_list("locale_id", flat=True).first()
        )
    return original or own


@dataclass
class TranslationStatus:
    original: Page
    translation: Page | None
    state: str
    original_published_at: datetime | None = None
    synced_at: datetime | None = None
    in_moderation: bool = False
    source_id: int | None = None

    @cached_property
    def since(self):
        """For an out-of-date translation: since when the original is newer."""
        return self.original_published_at if self.state == OUTDATED else None


def _synced_at(translation, source, live_revision_created):
    dates = [d for d in (source.last_updated_at if source else None, live_revision_created) if d]
    if not dates:
        return translation.last_published_at
    return min(dates)


def statuses(originals, target_locale):
    """TranslationStatus for each live page of ``originals`` (a queryset), into ``target_locale``.

    A fixed number of queries, whatever the number of pages.
    """
    originals = list(
        originals.live()
        .exclude(locale=target_locale)
        .filter(depth__gte=2)
        .order_by("path")
        .specific(defer=True)
    )
    keys = [page.translation_key for page in originals]
    translations = {
        page.translation_key: page
        for page in Page.objects.filter(
            translation_key__in=keys, locale=target_locale
        ).select_related("locale")
    }
    live_revisions = dict(
        Revision.objects.filter(
            pk__in=[p.live_revision_id for p in translations.values() if p.live_revision_id]
        ).values_list("pk", "created_at")
    )
    own_revisions = {
        rev_id
        for rev_id, object_id in Revision.objects.filter(pk__in=list(live_revisions)).values_list(
            "pk", "object_id"
        )
        if any(str(p.pk) == object_id for p in translations.values())
    }
    sources = {
        (source.object_id, source.locale_id): source
        for source in TranslationSource.objects.filter(object_id__in=keys)
    }
    moderated = {
        int(object_id)
        for object_id in WorkflowState.objects.active()
        .filter(object_id__in=[str(p.pk) for p in translations.values()])
        .values_list("object_id", flat=True)
    }
    result = []
    for page in originals:
        translation = translations.get(page.translation_key)
        in_moderation = translation is not None and translation.pk in moderated
        if translation is None or translation.alias_of_id:
            state = PENDING if in_moderation else MISSING
            result.append(
                TranslationStatus(
                    page, translation, state, page.last_published_at, None, in_moderation
                )
            )
            continue
        if not translation.live:
            result.append(
                TranslationStatus(
                    page, translation, PENDING, page.last_published_at, None, in_moderation
                )
            )
            continue
        source = sources.get((str(page.translation_key), page.locale_id))
        revision_created = (
            live_revisions.get(translation.live_revision_id)
            if translation.live_revision_id in own_revisions
            else None
        )
        synced = _synced_at(translation, source, revision_created)
        outdated = bool(synced and page.last_published_at and page.last_published_at > synced)
        result.append(
            TranslationStatus(
                page,
                translation,
                OUTDATED if outdated else CURRENT,
                page.last_published_at,
                synced,
                in_moderation,
                source.pk if source else None,
            )
        )
    return result


def status_of(translation):
    """The status of one translated page (``translation``), from its original's point of view.

    The same answer as ``statuses()`` gives for that page, in one query: the original, with the
    date of wagtail-localize's last synchronisation, the creation date of the translation's live
    revision and whether the translation is in moderation as subqueries (this runs on every
    translated page a visitor opens)."""
    from django.db.models import Exists, OuterRef, Subquery

    default_locale_id = next(
        (pk for pk, code in locale_codes().items() if code == default_language()), None
    )
    if default_locale_id is None or default_locale_id == translation.locale_id:
        return None
    original = (
        Page.objects.live()
        .filter(
            translation_key=translation.translation_key, locale_id=default_locale_id, depth__gte=2
        )
        .exclude(pk=translation.pk)
        .select_related("locale")
        .annotate(
            _source_updated_at=Subquery(
                TranslationSource.objects.filter(
                    object_id=OuterRef("translation_key"), locale_id=OuterRef("locale_id")
                ).values("last_updated_at")[:1]
            ),
            _revision_created_at=Subquery(
                Revision.objects.filter(
                    pk=translation.live_revision_id, object_id=str(translation.pk)
                ).values("created_at")[:1]
            ),
            _in_moderation=Exists(
                WorkflowState.objects.active().filter(object_id=str(translation.pk))
            ),
        )
        .first()
    )
    if original is None:
        return None
    in_moderation = original._in_moderation
    if translation.alias_of_id:
        return TranslationStatus(
            original,
            translation,
            PENDING if in_moderation else MISSING,
            original.last_published_at,
            None,
            in_moderation,
        )
    if not translation.live:
        return TranslationStatus(
            original, translation, PENDING, original.last_published_at, None, in_moderation
        )
    dates = [
        d
        for d in (
            original._source_updated_at,
            original._revision_created_at if translation.live_revision_id else None,
        )
        if d
    ]
    synced = min(dates) if dates else translation.last_published_at
    outdated = bool(synced and original.last_published_at and original.last_published_at > synced)
    return TranslationStatus(
        original,
        translation,
        OUTDATED if outdated else CURRENT,
        original.last_published_at,
        synced,
        in_moderation,
    )


def cached_locale(language_code):
    """The Locale of ``language_code`` from the cached codes (no query), or None if unknown."""
    for pk, code in locale_codes().items():
        if code == language_code:
            locale = Locale(pk=pk, language_code=code)
            locale._state.adding = False
            locale._state.db = "default"
            return locale
    return None


def install_cached_locale_lookup():
    """Make ``Locale.objects.get_for_language`` (hence ``Locale.get_active``, which every page,
    Wagtail's ``localized`` and the search use) read the cached codes instead of querying."""
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models.i18n import LocaleManager

    if getattr(LocaleManager.get_for_language, "_cached", False):
        return
    original = LocaleManager.get_for_language

    def get_for_language(self, language_code):
        locale = cached_locale(get_supported_content_language_variant(language_code))
        return locale if locale is not None else original(self, language_code)

    get_for_language._cached = True
    LocaleManager.get_for_language = get_for_language
