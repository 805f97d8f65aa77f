"""Who may do what: every role × every family of actions, through the admin URLs themselves.

Targets are pages of ASOFT's section (French tree), of La Cigale's section, and of ASOFT's
section in the English tree. An allowed action has its effect; a refused one answers 403 or a
redirect (or, for an upload to a collection the user may not use, the form again with an error)
and leaves the database as it was.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from members.models import Organisation
from news.models import ArticlePage, NewsIndexPage

pytestmark = pytest.mark.django_db

ROLES = ["parc", "asoft", "cigale", "anonymous", "admin"]
TARGETS = ["asoft", "cigale", "asoft_en"]

EVERYWHERE = {(role, target) for role in ("parc", "admin") for target in TARGETS}
OWN_SECTION = EVERYWHERE | {
    ("asoft", "asoft"),
    ("asoft", "asoft_en"),
    ("cigale", "cigale"),
}
ALLOWED = {
    "create": OWN_SECTION,
    "edit": OWN_SECTION,
    "submit": OWN_SECTION,
    "approve": EVERYWHERE,
    "publish": EVERYWHERE,
    "unpublish": EVERYWHERE,
    "delete": OWN_SECTION,  # a draft; see test_member_editors_cannot_delete_live_pages
    "move": EVERYWHERE,  # to /actualites/ itself, outside any organisation's folder
    "copy": OWN_SECTION,
    # Per page (members/translation_access.py): a member translates its own section's pages only.
    "translate": EVERYWHERE | {("asoft", "asoft"), ("cigale", "cigale")},
}


def article_form(title, slug, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": "Un chapô de test.",
            "body": streamfield([("paragraph", rich_text("<p>Un paragraphe.</p>"))]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def make_article(folder, slug, *, live, owner=None):
    page = ArticlePage(
        title=f"Article {slug}",
        slug=slug,
        lead="Chapô",
        body=[("paragraph", "<p>Texte</p>")],
        live=False,
        owner=owner,
    )
    folder.add_child(instance=page)
    revision = page.save_revision(user=owner)
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def world(db):
    User = get_user_model()
    users = {name: User.objects.get(username=name) for name in ("parc", "asoft", "cigale", "admin")}
    en = Locale.objects.get(language_code="en")
    asoft = Organisation.objects.get(slug="asoft")
    cigale = Organisation.objects.get(slug="la-cigale-de-nyons")
    folders = {
        "asoft": asoft.news_page,
        "cigale": cigale.news_page,
        "asoft_en": asoft.news_page.get_translation(en),
    }
    owners = {"asoft": users["asoft"], "cigale": users["cigale"], "asoft_en": users["asoft"]}
    drafts = {
        key: make_article(folder, f"matrix-draft-{key}", live=False, owner=owners[key])
        for key, folder in folders.items()
    }
    lives = {
        key: make_article(folder, f"matrix-live-{key}", live=True, owner=owners[key])
        for key, folder in folders.items()
    }
    return {
        "users": users,
        "folders": folders,
        "drafts": drafts,
        "lives": lives,
        "orgs": {"asoft": asoft, "cigale": cigale},
    }


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("pk", "path", "live", "title")),
        "revisions": Revision.objects.count(),
        "workflow_states": sorted(WorkflowState.objects.values_list("pk", "status")),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
    }


def assert_refused(response, before, ignore=()):
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert "/admin/" in response["Location"]
    after = snapshot()
    for key in ignore:
        before.pop(key), after.pop(key)
    assert after == before


def do(action, client, world, target):
    """Attempt ``action`` on ``target``; return (response, check) where check() proves the effect."""
    folder = world["folders"][target]
    draft = world["drafts"][target]
    live = world["lives"][target]
    if action == "create":
        url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", folder.pk])
        response = client.post(url, article_form("Nouvel article", "matrix-new"))
        return response, lambda: folder.get_children().filter(slug="matrix-new").exists()
    if action == "edit":
        url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
        response = client.post(url, article_form("Titre modifié", draft.slug))
        return (
            response,
            lambda: (
                Page.objects.get(pk=draft.pk).specific.get_latest_revision_as_object().title
                == "Titre modifié"
            ),
        )
    if action == "submit":
        url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
        response = client.post(url, article_form(draft.title, draft.slug, **{"action-submit": "1"}))
        return response, lambda: Page.objects.get(pk=draft.pk).workflow_in_progress
    if action == "approve":
        state = draft.get_workflow().start(
            draft, world["users"]["asoft" if target != "cigale" else "cigale"]
        )
        task_state = state.current_task_state
        url = reverse(
            "wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]
        )
        before = snapshot()
        response = client.post(url, {"comment": "Parfait."})
        return response, lambda: Page.objects.get(pk=draft.pk).live, before
    if action == "publish":
        url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
        response = client.post(
            url, article_form(draft.title, draft.slug, **{"action-publish": "1"})
        )
        return response, lambda: Page.objects.get(pk=draft.pk).live
    if action == "unpublish":
        url = reverse("wagtailadmin_pages:unpublish", args=[live.pk])
        response = client.post(url)
        return response, lambda: not Page.objects.get(pk=live.pk).live
    if action == "delete":
        url = reverse("wagtailadmin_pages:delete", args=[draft.pk])
        response = client.post(url)
        return response, lambda: not Page.objects.filter(pk=draft.pk).exists()
    if action == "move":
        index = NewsIndexPage.objects.get(locale=folder.locale)
        url = reverse("wagtailadmin_pages:move_confirm", args=[draft.pk, index.pk])
        response = client.post(url)
        return response, lambda: Page.objects.get(pk=draft.pk).get_parent().pk == index.pk
    if action == "copy":
        url = reverse("wagtailadmin_pages:copy", args=[draft.pk])
        response = client.post(
            url, {"new_title": "Copie", "new_slug": "matrix-copy", "new_parent_page": folder.pk}
        )
        return response, lambda: folder.get_children().filter(slug="matrix-copy").exists()
    if action == "translate":
        other = Locale.objects.exclude(pk=draft.locale_id).get()
        url = reverse("wagtail_localize:submit_page_translation", args=[draft.pk])
        response = client.post(url, {"locales": [other.pk]})
        return response, lambda: draft.get_translation_or_none(other) is not None
    raise AssertionError(action)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_permission_matrix(client, world, action, role, target):
    if action == "translate" and target == "asoft_en":
        # The English page's French counterpart would be its own source: translate French pages.
        target = "asoft"
    login(client, world, role)
    before = snapshot()
    result = do(action, client, world, target)
    response, check = result[0], result[1]
    if len(result) == 3:
        before = result[2]
    if (role, target) in ALLOWED[action]:
        assert response.status_code in (200, 302), response.status_code
        assert check(), f"{role} should be able to {action} in {target}'s section"
    else:
        # A forged "publish" from someone who may edit is saved as a draft, never published.
        ignore = ("revisions",) if action == "publish" else ()
        if action == "publish" and (role, target) in OWN_SECTION:
            ignore = ("revisions", "pages", "workflow_states")
            assert not check()
            assert response.status_code == 302
            return
        assert_refused(response, before, ignore=ignore)
        assert not check()


@pytest.mark.parametrize("role", ["asoft", "cigale"])
def test_member_editors_cannot_delete_live_pages(client, world, role):
    login(client, world, role)
    own = "asoft" if role == "asoft" else "cigale"
    before = snapshot()
    response = client.post(reverse("wagtailadmin_pages:delete", args=[world["lives"][own].pk]))
    assert_refused(response, before)


def image_file():
    buffer = io.BytesIO()
    PILImage.new("RGB", (20, 20), (200, 100, 50)).save(buffer, format="PNG")
    return SimpleUploadedFile("test.png", buffer.getvalue(), content_type="image/png")


UPLOAD_ALLOWED = {
    ("parc", "asoft"),
    ("parc", "cigale"),
    ("admin", "asoft"),
    ("admin", "cigale"),
    ("asoft", "asoft"),
    ("cigale", "cigale"),
}


@pytest.mark.parametrize("kind", ["image", "document"])
@pytest.mark.parametrize("collection_of", ["asoft", "cigale"])
@pytest.mark.parametrize("role", ROLES)
def test_upload_only_into_collections_one_may_use(client, world, kind, collection_of, role):
    login(client, world, role)
    collection = world["orgs"][collection_of].collection
    if kind == "image":
        model = get_image_model()
        url = reverse("wagtailimages:add")
        data = {
            "title": "Envoi",
            "file": image_file(),
            "collection": collection.pk,
            "description": "Un carré orange",
        }
    else:
        model = get_document_model()
        url = reverse("wagtaildocs:add")
        data = {
            "title": "Envoi",
            "file": SimpleUploadedFile("note.txt", b"Bonjour"),
            "collection": collection.pk,
        }
    before = snapshot()
    response = client.post(url, data)
    created = model.objects.filter(title="Envoi", collection=collection).exists()
    if (role, collection_of) in UPLOAD_ALLOWED:
        assert created, response.content[:2000]
    else:
        assert not created
        assert response.status_code in (200, 302, 403)
        own = {"asoft": "asoft", "cigale": "cigale"}.get(role)
        if own:
            # A member editor may use one collection only: Wagtail files the upload there.
            new = model.objects.exclude(
                pk__in=model.objects.filter(title="Envoi", collection=world["orgs"][own].collection)
            )
            assert new.count() == before[kind + "s"]
        else:
            assert snapshot() == before


@pytest.mark.parametrize("collection_of", ["asoft", "cigale"])
@pytest.mark.parametrize("role", ROLES)
def test_choosing_an_image_from_another_organisations_collection_is_refused(
    client, world, role, collection_of
):
    from core.demo import demo_image

    image = demo_image(
        f"Image de {collection_of}",
        "Un paysage",
        seed=3,
        collection=world["orgs"][collection_of].collection,
    )
    login(client, world, role)
    response = client.get(reverse("wagtailimages_chooser:chosen", args=[image.pk]))
    if (role, collection_of) in UPLOAD_ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
    if role not in ("anonymous",):
        listing = client.get(reverse("wagtailimages_chooser:choose"))
        assert (image.title in listing.content.decode()) == (
            (role, collection_of) in UPLOAD_ALLOWED
        )


# Standard pages (/le-reseau/, /mentions-legales/…) sit directly under the home pages, outside
# every member section: the park's staff edit and publish them (page permissions on the root), so
# they may also read their drafts and revisions. Member editors may not.
STANDARD_PAGE_DRAFT_READERS = {"parc", "admin"}
DRAFT_TITLE = "Brouillon du réseau 41c9"


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_park_staff_view_the_draft_of_a_standard_page_and_member_editors_cannot(
    client, demo, role, language
):
    page = Page.objects.get(slug="le-reseau", locale__language_code=language).specific
    page.title = DRAFT_TITLE
    revision = page.save_revision()
    if role != "anonymous":
        # Through the login form, as a person would (the login throttle's backend included).
        response = client.post(
            reverse("wagtailadmin_login"), {"username": role, "password": "demo-baronnies"}
        )
        assert response.status_code == 302, f"{role} could not log in"
    urls = [
        reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]),
        reverse("wagtailadmin_pages:history", args=[page.pk]),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if role in STANDARD_PAGE_DRAFT_READERS:
            assert response.status_code == 200, f"{role} refused {url}: {response.status_code}"
            if "history" not in url:
                assert DRAFT_TITLE in response.content.decode(), url
        else:
            assert response.status_code in (302, 403), f"{role} got {url}"
            assert DRAFT_TITLE not in response.content.decode()


# Who proposed an entry and who signed up for an event: the park's moderators read them (to answer
# a contributor while moderating, to prepare an event), never change them; member editors and
# visitors never see them (tests/private_urls.py).
PRIVATE_LISTS = {
    "public contributions": "/admin/snippets/directory/contribution/",
    "event registrations": "/admin/registrations/",
}


@pytest.mark.parametrize("listing", sorted(PRIVATE_LISTS))
@pytest.mark.parametrize(
    "role,allowed", [("parc", True), ("admin", True), ("asoft", False), ("cigale", False)]
)
def test_park_staff_read_contributions_and_registrations_that_member_editors_cannot(
    world, client, listing, role, allowed
):
    login(client, world, role)
    response = client.get(PRIVATE_LISTS[listing])
    assert (response.status_code == 200) == allowed, (role, listing, response.status_code)
    user = world["users"][role]
    can_change = user.has_perm("directory.change_contribution") or user.has_perm(
        "events.change_registration"
    )
    assert can_change == (role == "admin")


# Translation actions. Targets: an article of ASOFT, one of La Cigale, a shared page (a
# dossier) and the home page. Members start (and edit, and submit) the translation of their own
# organisation's pages only; whatever path they take, no English page goes live or changes on
# line without a moderator: "publish" in wagtail-localize's editor, "sync" with "publish
# immediately", "convert to alias" (which would mirror the live French page), "convert this
# alias into an ordinary page".
TRANSLATION_TARGETS = ["asoft", "cigale", "shared", "home"]
STAFF = ("parc", "admin")
PUBLISHING_ACTIONS = [
    "publish from the editor",
    "sync and publish",
    "convert to alias",
    "convert alias to page",
]
TRANSLATION_ALLOWED = {
    "start translation": {(role, target) for role in STAFF for target in TRANSLATION_TARGETS}
    | {("asoft", "asoft"), ("cigale", "cigale")},
    **{
        action: {(role, target) for role in STAFF for target in ("asoft", "cigale")}
        for action in PUBLISHING_ACTIONS
    },
}


def english_on_line():
    """What visitors of the English site get: every live English page and its live content."""
    return sorted(
        Page.objects.filter(locale__language_code="en", live=True).values_list(
            "pk", "alias_of_id", "live_revision_id", "title", "url_path"
        )
    )


@pytest.fixture
def translation_world(world):
    from wagtail_localize.models import StringSegment, StringTranslation

    from members.translation_views import ModeratedTranslationCreator

    en = Locale.objects.get(language_code="en")
    fr = Locale.objects.get(language_code="fr")
    parc = world["users"]["parc"]
    targets = {}
    for key in ("asoft", "cigale"):
        folder = world["orgs"][key].news_page
        owner = world["users"][key]
        fresh = make_article(folder, f"matrix-tr-new-{key}", live=True, owner=owner)
        translated = make_article(folder, f"matrix-tr-{key}", live=True, owner=owner)
        ModeratedTranslationCreator(parc, [en], staff=True).create_translations(translated)
        english = translated.get_translation(en)
        assert not english.live
        source = english.get_translation(fr)
        from wagtail_localize.models import TranslationSource

        translation_source = TranslationSource.objects.get_for_instance(source)
        for segment in StringSegment.objects.filter(source=translation_source).select_related(
            "string"
        ):
            StringTranslation.objects.get_or_create(
                translation_of=segment.string,
                locale=en,
                context=segment.context,
                defaults={"data": f"EN {segment.string.data}"},
            )
        aliased = make_article(folder, f"matrix-tr-alias-{key}", live=True, owner=owner)
        alias = aliased.copy_for_translation(en, copy_parents=True, alias=True)
        assert alias.live and alias.alias_of_id == aliased.pk
        targets[key] = {"fresh": fresh, "source": translated, "english": english, "alias": alias}
    dossier = Page.objects.filter(locale=fr, url_path__contains="/dossiers/", depth=4).first()
    home = Page.objects.get(depth=2, locale=fr)
    for key, page in (("shared", dossier), ("home", home)):
        english = page.get_translation(en)
        assert english.live
        targets[key] = {"fresh": page, "source": page, "english": english, "alias": english}
    return {**world, "en": en, "targets": targets}


def translations_of(page, en):
    from wagtail_localize.models import Translation

    return Translation.objects.filter(source__object_id=page.translation_key, target_locale=en)


def do_translation(action, client, world, target):
    """Attempt ``action``; return (response, check) where check() proves the effect."""
    en = world["en"]
    pages = world["targets"][target]
    english = pages["english"]
    if action == "start translation":
        page = pages["fresh"]
        if target in ("shared", "home"):
            # Already translated in the demo: staff may open the form, members may not.
            response = client.get(
                reverse("wagtail_localize:submit_page_translation", args=[page.pk])
            )
            if response.status_code == 200:
                return response, lambda: True
            response = client.post(
                reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
                {"locales": [en.pk]},
            )
            return response, lambda: False
        response = client.post(
            reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
            {"locales": [en.pk]},
        )
        return (
            response,
            lambda: (
                translations_of(page, en).exists() and page.get_translation_or_none(en) is not None
            ),
        )

    def published():
        """The English page went live, or (already live) got a new live revision."""
        now = Page.objects.get(pk=english.pk)
        return now.live and (not english.live or now.live_revision_id != english.live_revision_id)

    if action == "publish from the editor":
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[english.pk]), {"action": "publish"}
        )
        return response, published
    if action == "sync and publish":
        from wagtail_localize.models import TranslationSource

        source = TranslationSource.objects.get_for_instance_or_none(pages["source"])
        if source is None:  # a page the demo translated by hand: nothing to sync
            response = client.post(
                reverse("wagtailadmin_pages:edit", args=[english.pk]), {"action": "publish"}
            )
            return response, published
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
        )
        return response, published
    if action == "convert to alias":
        response = client.post(reverse("wagtail_localize:convert_to_alias", args=[english.pk]))
        return response, lambda: Page.objects.get(pk=english.pk).alias_of_id is not None
    if action == "convert alias to page":
        alias = pages["alias"]
        response = client.post(reverse("wagtailadmin_pages:convert_alias", args=[alias.pk]))
        return (
            response,
            lambda: Page.objects.get(pk=alias.pk).alias_of_id is None and alias.alias_of_id,
        )
    raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(TRANSLATION_ALLOWED))
def test_translation_permission_matrix(
    client, translation_world, action, role, django_capture_on_commit_callbacks
):
    world = translation_world
    login(client, world, role)
    for target in TRANSLATION_TARGETS:
        if action in PUBLISHING_ACTIONS and role in STAFF and target in ("shared", "home"):
            continue  # the park's staff publishing shared pages: Wagtail's ordinary publishing
        on_line = english_on_line()
        fresh = world["targets"][target]["fresh"]
        translations_before = sorted(
            translations_of(fresh, world["en"]).values_list("pk", flat=True)
        )
        with django_capture_on_commit_callbacks(execute=True):
            response, check = do_translation(action, client, world, target)
        if (role, target) in TRANSLATION_ALLOWED[action]:
            assert response.status_code in (200, 302), (target, response.status_code)
            assert check(), f"{role} should be able to {action} on {target}"
            if role not in STAFF:
                assert english_on_line() == on_line, (
                    "a member's translation is a draft until approved"
                )
            continue
        assert not check(), f"{role} must not {action} on {target}"
        assert english_on_line() == on_line, (
            f"{role}'s {action} on {target} changed the English site"
        )
        if action == "start translation" or role != target:
            # Refused outright; on its own pages a member's "publish" is saved as a draft at most.
            # The shared pages and the home page are translated pages, not aliases: nothing to
            # convert (404).
            refusals = (
                (302, 403, 404)
                if action == "convert alias to page" and target in ("shared", "home")
                else (302, 403)
            )
            assert response.status_code in refusals, (target, response.status_code)
            if response.status_code == 302:
                assert "/admin/" in response["Location"]
        assert (
            sorted(translations_of(fresh, world["en"]).values_list("pk", flat=True))
            == translations_before
        )
