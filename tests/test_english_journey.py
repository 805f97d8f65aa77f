"""An English visitor goes home → directory → an entry → an event → a dossier and meets no French
interface string: every French source string of our catalogues whose English differs must be absent."""

import html
import re
from pathlib import Path

import polib
import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def french_interface_strings():
    strings, names = set(), set()
    for path in ROOT.glob("**/locale/en/LC_MESSAGES/django.po"):
        if ".venv" in path.parts:
            continue
        for entry in polib.pofile(str(path)):
            text = entry.msgid
            if entry.msgstr == text:
                names.add(text)  # proper names, kept as they are in English
            # Whole, literal strings only: no placeholders or markup, long enough to be unambiguous.
            if (
                entry.msgstr
                and entry.msgstr != text
                and len(text) >= 12
                and "%" not in text
                and "<" not in text
            ):
                strings.add(text)
    return strings - names


def visible_text(response):
    content = response.content.decode()
    content = re.sub(r"<script.*?</script>", " ", content, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", content))


def first_link(response, prefix):
    match = re.search(rf'href="({re.escape(prefix)}[a-z0-9-]+/)"', response.content.decode())
    assert match, f"no link starting with {prefix}"
    return match.group(1)


def test_english_journey_shows_no_french_interface_string(client):
    french = french_interface_strings()
    assert len(french) > 50
    home = client.get("/en/")
    directory = client.get("/en/annuaire/")
    entry = client.get(first_link(directory, "/en/annuaire/"))
    agenda = client.get("/en/agenda/")
    event = client.get(first_link(agenda, "/en/agenda/"))
    dossiers = client.get("/en/dossiers/")
    dossier = client.get(first_link(dossiers, "/en/dossiers/"))
    for response in (home, directory, entry, agenda, event, dossiers, dossier):
        assert response.status_code == 200
        text = visible_text(response)
        found = sorted(s for s in french if s in text)
        assert found == [], (response.wsgi_request.path, found)
