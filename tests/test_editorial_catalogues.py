"""The news and agenda apps' English catalogues translate every interface string."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("app", ["news", "events"])
def test_app_catalogue_translates_every_string(app):
    po = polib.pofile(str(ROOT / app / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []


@pytest.mark.django_db
def test_agenda_speaks_english_under_en(client):
    html = client.get("/en/agenda/").content.decode()
    assert "Upcoming" in html and "Past events" in html and "Filter" in html
    assert "À venir" not in html


@pytest.mark.django_db
def test_news_filters_speak_english_under_en(client):
    html = client.get("/en/actualites/?theme=nope").content.decode()
    assert "This theme does not exist: all themes are shown." in html
    assert "All organisations" in html
