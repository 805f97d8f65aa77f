"""directory 0005 (one DirectoryEntry table under ActorPage and PlacePage) keeps every existing
entry: proven on a database filled before it, then migrated forward (SQLite and PostgreSQL).

The database is taken back to 0004 (the entries go back to their two tables), an actor is added
there as the old code stored it (its own row, its theme links, a revision), and the migration runs
forward again. Slow (two migrations of the demo): one test. Transactional (migrations cannot run
in a transaction): ``committed_demo`` builds the demo again when an earlier transactional test
flushed it.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, Revision, WorkflowState
from wagtail_localize.models import Translation, TranslationSource

from directory.filters import DirectoryQuery
from directory.models import ActorPage, DirectoryEntry, PlacePage, PlacePhoto
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("directory", "0004_directory_data_contribution")]
AFTER = [("directory", "0005_directory_entry_base")]
OLD_SUMMARY = "Écrit avant la table commune des entrées."


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    for alias in caches:
        caches[alias].clear()
    return executor.loader.project_state(targets).apps


def snapshot():
    """What every entry holds, read through the current models."""
    entries = {}
    for model in (ActorPage, PlacePage):
        for page in model.objects.select_related("commune", "kind"):
            entries[page.pk] = {
                "type": model.__name__,
                "title": page.title,
                "url_path": page.url_path,
                "live": page.live,
                "translation_key": page.translation_key,
                "locale": page.locale_id,
                "summary": page.summary,
                "description": page.description,
                "commune": page.commune_id,
                "point": page.point,
                "phone": page.phone,
                "website": page.website,
                "logo": page.logo_id,
                "kind": page.kind_id,
                "themes": sorted(page.themes.values_list("pk", flat=True)),
                "sectors": sorted(page.sectors.values_list("pk", flat=True)),
                "revisions": sorted(
                    Revision.page_revisions.filter(object_id=str(page.pk)).values_list(
                        "pk", flat=True
                    )
                ),
                "latest_revision": page.latest_revision_id,
                **(
                    {
                        "services": sorted(page.services.values_list("pk", flat=True)),
                        "operators": sorted(page.operators.values_list("pk", flat=True)),
                        "photos": sorted(page.photos.values_list("image_id", flat=True)),
                        "opening_hours": page.opening_hours,
                    }
                    if model is PlacePage
                    else {
                        "is_member": page.is_member,
                        "organisation": getattr(getattr(page, "organisation", None), "pk", None),
                    }
                ),
            }
    return entries


def add_old_actor(apps, like):
    """An actor written as the code before 0005 wrote one: a Page row, an ActorPage row with the
    shared columns, a link in ``directory_actorpage_themes`` and a revision of its content."""
    OldPage = apps.get_model("wagtailcore", "Page")
    OldActor = apps.get_model("directory", "ActorPage")
    OldRevision = apps.get_model("wagtailcore", "Revision")
    template = OldActor.objects.get(pk=like.pk)
    index = OldPage.objects.get(pk=like.get_parent().pk)
    last = (
        OldPage.objects.filter(path__startswith=index.path, depth=index.depth + 1)
        .order_by("-path")
        .first()
    )
    actor = OldActor.objects.create(
        title="Atelier d'avant",
        draft_title="Atelier d'avant",
        slug="atelier-d-avant",
        path=Page._get_path(
            index.path, index.depth + 1, Page._str2int(last.path[-Page.steplen :]) + 1
        ),
        depth=index.depth + 1,
        url_path=f"{index.url_path}atelier-d-avant/",
        content_type_id=template.content_type_id,
        locale_id=template.locale_id,
        live=True,
        summary=OLD_SUMMARY,
        description="<p>Une entrée de l'ancienne table.</p>",
        commune_id=template.commune_id,
        kind_id=template.kind_id,
        latitude=44.36,
        longitude=5.14,
        phone="04 75 00 00 00",
    )
    OldPage.objects.filter(pk=index.pk).update(numchild=index.numchild + 1)
    theme_id = (
        OldActor.themes.through.objects.filter(actorpage_id=template.pk)
        .values_list("theme_id", flat=True)
        .first()
    )
    OldActor.themes.through.objects.create(actorpage_id=actor.pk, theme_id=theme_id)
    content = dict(Revision.objects.get(pk=like.latest_revision_id).content)
    content.update(
        pk=actor.pk, id=actor.pk, title=actor.title, draft_title=actor.title, slug=actor.slug,
        path=actor.path, url_path=actor.url_path, summary=OLD_SUMMARY, themes=[theme_id],
        latitude=44.36, longitude=5.14, phone=actor.phone, live=True,
    )  # fmt: skip
    revision = OldRevision.objects.create(
        content_type_id=template.content_type_id,
        base_content_type_id=Revision.objects.get(pk=like.latest_revision_id).base_content_type_id,
        object_id=str(actor.pk),
        content=content,
        object_str=actor.title,
        created_at=timezone.now(),
    )
    OldPage.objects.filter(pk=actor.pk).update(
        latest_revision_id=revision.pk, live_revision_id=revision.pk
    )
    return actor.pk, theme_id


def test_entries_stored_before_the_shared_entry_table_keep_their_content_revisions_translations_and_urls(
    client, committed_demo
):
    from django.contrib.contenttypes.models import ContentType

    # Content the demo lacks: a photo, a draft revision, a workflow in progress, a translation source.
    place = (
        PlacePage.objects.live().filter(locale__language_code="fr").exclude(operators=None).first()
    )
    PlacePhoto.objects.create(place=place, image=ImageFactory(), sort_order=0)
    place.summary = "Brouillon d'avant la migration."
    draft = place.save_revision()
    actor = ActorPage.objects.live().filter(locale__language_code="fr").exclude(themes=None).first()
    source, _created = TranslationSource.get_or_create_from_instance(actor)
    translation = Translation.objects.create(
        source=source, target_locale=actor.get_translations().first().locale
    )
    workflow_page = (
        ActorPage.objects.live().filter(locale__language_code="fr").exclude(pk=actor.pk).first()
    )
    workflow_state = workflow_page.get_workflow().start(
        workflow_page, None
    )  # the demo's moderation
    before = snapshot()
    assert before[place.pk]["photos"] and before[place.pk]["operators"]

    old_apps = migrate(BEFORE)
    OldPlace = old_apps.get_model("directory", "PlacePage")
    assert (
        OldPlace.objects.get(pk=place.pk).summary == before[place.pk]["summary"]
    )  # back in its own table
    new_pk, theme_id = add_old_actor(old_apps, actor)

    migrate(AFTER)
    ContentType.objects.clear_cache()
    after = snapshot()
    added = after.pop(new_pk)
    assert after == before
    assert DirectoryEntry.objects.count() == len(before) + 1
    assert (added["summary"], added["themes"], added["point"]) == (
        OLD_SUMMARY,
        [theme_id],
        (44.36, 5.14),
    )

    # Translation and workflow rows still point to their pages.
    assert TranslationSource.objects.get(pk=source.pk).get_source_instance().specific == actor
    assert Translation.objects.filter(pk=translation.pk).exists()
    state = WorkflowState.objects.get(pk=workflow_state.pk)
    assert (state.status, state.content_object.specific) == (
        WorkflowState.STATUS_IN_PROGRESS,
        workflow_page,
    )

    # Old revisions load and publish.
    for revision in Revision.page_revisions.filter(
        object_id__in=[str(pk) for pk in (place.pk, actor.pk, new_pk)]
    ):
        assert revision.as_object().summary
    Revision.objects.get(pk=draft.pk).publish()
    assert PlacePage.objects.get(pk=place.pk).summary == "Brouillon d'avant la migration."
    assert ActorPage.objects.get(pk=new_pk).revisions.get().as_object().summary == OLD_SUMMARY

    # Same URLs, pages render; the directory lists, filters and searches them.
    for pk, entry in [*after.items(), (new_pk, added)]:
        if entry["live"]:
            url = Page.objects.get(pk=pk).url
            response = client.get(url)
            assert response.status_code == 200, url
    assert escape("Atelier d'avant") in client.get("/annuaire/?type=actor").content.decode()
    word = place.title.split()[0]
    assert place.pk in DirectoryQuery.from_params({"q": word}, place.locale).search_ids()
    assert escape(place.title) in client.get(f"/annuaire/?q={word}").content.decode()
    assert escape(place.title) in client.get(f"/recherche/?q={word}").content.decode()
