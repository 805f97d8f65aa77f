"""Onboarding is one idempotent step; offboarding removes access and keeps the content."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
)

from members.models import Organisation
from members.onboarding import offboard, onboard, section_pages
from members.roles import PARK_GROUP, WORKFLOW_NAME
from news.models import ArticlePage
from tests.factories import (
    ActorPageFactory,
    ArticlePageFactory,
    OrganisationFactory,
    send_back,
    submit_for_moderation,
)

pytestmark = pytest.mark.django_db


def counts():
    return (
        Group.objects.count(),
        Page.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )


def test_onboarding_command_builds_a_section_in_both_trees_and_is_idempotent():
    out = io.StringIO()
    call_command("onboard_organisation", "Tiers-lieu des Tilleuls", stdout=out)
    organisation = Organisation.objects.get(name="Tiers-lieu des Tilleuls")
    assert organisation.group.name == "Tiers-lieu des Tilleuls · rédaction"
    assert organisation.actor_page.url_path.endswith("/annuaire/tiers-lieu-des-tilleuls/")
    assert organisation.news_page.url_path.endswith("/actualites/tiers-lieu-des-tilleuls/")
    assert organisation.events_page.url_path.endswith("/agenda/tiers-lieu-des-tilleuls/")
    pages = section_pages(organisation)
    assert sorted(p.locale.language_code for p in pages) == ["en", "en", "en", "fr", "fr", "fr"]
    for page in pages:
        perms = set(
            GroupPagePermission.objects.filter(group=organisation.group, page=page).values_list(
                "permission__codename", flat=True
            )
        )
        assert perms == {"add_page", "change_page", "lock_page", "unlock_page"}
        assert page.get_workflow().name == WORKFLOW_NAME
    collection_perms = GroupCollectionPermission.objects.filter(group=organisation.group)
    assert {p.collection_id for p in collection_perms} == {organisation.collection_id}
    assert not GroupPagePermission.objects.filter(
        group=organisation.group, permission__codename="publish_page"
    ).exists()
    before = counts()
    call_command("onboard_organisation", "Tiers-lieu des Tilleuls", stdout=io.StringIO())
    assert counts() == before


def test_onboarding_reuses_the_existing_directory_entry():
    from directory.models import ActorPage

    existing = ActorPageFactory(title="Structure existante", slug="structure-existante")
    organisation = onboard("Structure existante")
    assert organisation.actor_page.pk == existing.pk
    assert organisation.actor_page.get_parent().slug == "annuaire"
    assert ActorPage.objects.filter(slug=existing.slug, locale__language_code="fr").count() == 1
    assert (
        Page.objects.filter(slug=existing.slug, depth=existing.depth).count() == 6
    )  # 3 pages × fr, en


def test_offboarding_removes_access_and_keeps_the_content(client, django_user_model):
    editor = django_user_model.objects.create_user("redaction-depart", password="secret-depart")
    asoft = OrganisationFactory(editors=[editor])
    ArticlePageFactory.create_batch(2, organisation=asoft)
    offboard(asoft)
    assert not GroupPagePermission.objects.filter(group=asoft.group).exists()
    assert not GroupCollectionPermission.objects.filter(group=asoft.group).exists()
    assert ArticlePage.objects.filter(organisation=asoft).count() == 2
    client.login(username="redaction-depart", password="secret-depart")
    assert client.get("/admin/").status_code == 302  # no admin access any more
    onboard(asoft)
    assert client.get("/admin/").status_code == 200


def test_default_wagtail_groups_are_gone_and_roles_exist():
    names = set(Group.objects.values_list("name", flat=True))
    assert not names & {"Editors", "Moderators"}
    assert PARK_GROUP in names
    assert Workflow.objects.filter(name=WORKFLOW_NAME, active=True).exists()
    assert not Workflow.objects.filter(active=True).exclude(name=WORKFLOW_NAME).exists()
    submitters = Group.objects.filter(permissions__codename="submit_translation")
    assert list(submitters.values_list("name", flat=True)) == [PARK_GROUP]


def test_an_article_belongs_to_the_organisation_whose_folder_holds_it():
    cigale = OrganisationFactory()
    page = ArticlePage(title="Essai", slug="essai-dossier", lead="Chapô", body=[])
    cigale.news_page.add_child(instance=page)
    assert ArticlePage.objects.get(pk=page.pk).organisation == cigale


def test_admin_onboard_action_needs_the_right_and_a_post(client):
    organisation = Organisation.objects.create(name="Nouvelle structure", slug="nouvelle-structure")
    url = f"/admin/organisations/onboard/{organisation.pk}/"
    client.login(username="asoft", password="demo-baronnies")
    assert client.post(url).status_code in (302, 403)
    organisation.refresh_from_db()
    assert organisation.group is None
    client.login(username="parc", password="demo-baronnies")
    assert client.get(url).status_code == 200
    organisation.refresh_from_db()
    assert organisation.group is None  # GET only asks
    assert client.post(url).status_code == 302
    organisation.refresh_from_db()
    assert organisation.group is not None and organisation.news_page is not None
    listing = client.get("/admin/organisations/").content.decode()
    assert "Intégrer" in listing


def test_dashboard_panels_per_role(client, django_user_model):
    parc = django_user_model.objects.get(username="parc")
    waiting_editor = django_user_model.objects.create_user("redaction-attente", password="x")
    sent_back_editor = django_user_model.objects.create_user("redaction-renvoi", password="x")
    waiting_org = OrganisationFactory(name="Association en attente", editors=[waiting_editor])
    sent_back_org = OrganisationFactory(name="Association renvoyée", editors=[sent_back_editor])
    submit_for_moderation(
        ArticlePageFactory(organisation=waiting_org, published=False), waiting_editor
    )
    sent_back = ArticlePageFactory(organisation=sent_back_org, published=False)
    submit_for_moderation(sent_back, sent_back_editor)
    send_back(sent_back, parc, "Pouvez-vous ajouter la date de l'atelier ?")
    client.force_login(parc)
    html = client.get("/admin/").content.decode()
    assert "En attente de modération" in html and "Association en attente" in html
    client.force_login(sent_back_editor)
    html = client.get("/admin/").content.decode()
    assert "Renvoyé pour corrections" in html
    assert "Pouvez-vous ajouter la date de l&#x27;atelier ?" in html  # the moderator's comment
    assert "En attente de modération" not in html
    assert "Fiche dans l&#x27;annuaire" in html or "Fiche dans l'annuaire" in html


def test_freshness_reminder_goes_to_editors_of_stale_entries_only(django_user_model):
    editor = django_user_model.objects.create_user("redaction-fiche", email="fiche@example.org")
    asoft = OrganisationFactory(
        name="Association à la fiche ancienne", editors=[editor], published_entry=True
    )
    stale = timezone.now() - timedelta(days=400)
    Page.objects.filter(pk=asoft.actor_page_id).update(last_published_at=stale)
    fresh = Organisation.objects.exclude(pk=asoft.pk).filter(actor_page__isnull=False)
    Page.objects.filter(pk__in=fresh.values("actor_page_id")).update(
        last_published_at=timezone.now()
    )
    mail.outbox = []
    call_command("send_freshness_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fiche@example.org"]
    assert "Association à la fiche ancienne" in mail.outbox[0].subject
