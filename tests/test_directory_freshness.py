"""Entries not updated for 12 months are flagged in the admin and listed in a staff report."""

import pytest

from directory.pages import DirectoryIndexPage
from tests.factories import ActorPageFactory, stale

pytestmark = pytest.mark.django_db


def test_stale_entries_report_lists_old_entries_only(admin_client):
    old = stale(ActorPageFactory(title="Collectif jamais mis à jour"))  # published 14 months ago
    fresh = ActorPageFactory(title="Collectif tout juste publié")
    html = admin_client.get("/admin/reports/fiches-a-actualiser/").content.decode()
    assert old.title in html
    assert fresh.title not in html


def test_reports_menu_links_to_the_stale_entries_report(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "/admin/reports/fiches-a-actualiser/" in html


def test_page_explorer_flags_stale_entries(admin_client):
    index = DirectoryIndexPage.objects.get(locale__language_code="fr")
    before = admin_client.get(f"/admin/pages/{index.pk}/").content.decode().count("À actualiser")
    ActorPageFactory(title="Collectif tout juste publié")
    assert (
        admin_client.get(f"/admin/pages/{index.pk}/").content.decode().count("À actualiser")
        == before
    )
    stale(ActorPageFactory(title="Collectif jamais mis à jour"))
    html = admin_client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert html.count("À actualiser") == before + 1


def test_visitors_cannot_see_the_report(client):
    response = client.get("/admin/reports/fiches-a-actualiser/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
