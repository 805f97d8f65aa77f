"""Entries not updated for 12 months are flagged in the admin and listed in a staff report."""

import pytest

from directory.models import DirectoryIndexPage

pytestmark = pytest.mark.django_db


def test_stale_entries_report_lists_old_entries_only(admin_client):
    html = admin_client.get("/admin/reports/fiches-a-actualiser/").content.decode()
    assert "Ensemble ici" in html  # demo entry published 14 months ago
    assert "Recyclerie La Fabrique" not in html


def test_reports_menu_links_to_the_stale_entries_report(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "/admin/reports/fiches-a-actualiser/" in html


def test_page_explorer_flags_stale_entries(admin_client):
    index = DirectoryIndexPage.objects.get(locale__language_code="fr")
    html = admin_client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert html.count("À actualiser") == 1


def test_visitors_cannot_see_the_report(client):
    response = client.get("/admin/reports/fiches-a-actualiser/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
