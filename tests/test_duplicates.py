"""A public contribution that looks like an existing entry is flagged for the moderator, with a
link to the entry it resembles: same website domain, or a similar name in the same commune."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache

from directory.commons.duplicates import domain, find_similar, normalise_name
from directory.commons.models import DuplicateFlag
from directory.models import ActorPage, PlacePage
from tests.factories import ActorPageFactory, commune
from tests.test_directory_contributions import form_data

pytestmark = pytest.mark.django_db
URL = "/annuaire/proposer/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_names_and_domains_are_normalised():
    assert normalise_name("La Récyclerie de  l'Écluse") == "recyclerie ecluse"
    assert (
        domain("https://www.Asoft.example.org/contact")
        == domain("asoft.example.org")
        == "asoft.example.org"
    )
    assert domain("") == ""


def existing_actor(**fields):
    """An entry already in the directory, with a website, in Séderon."""
    return ActorPageFactory(
        **{
            "title": "Ressourcerie du Lavoir",
            "website": "https://lavoir.example.org",
            "commune": commune("26340"),
            **fields,
        }
    )


def test_same_website_domain_is_flagged_with_a_link_to_the_existing_entry(client, entries):
    asoft = existing_actor()
    response = client.post(
        URL,
        form_data(
            entry_type="acteur",
            kind="acteur:association",
            title="Association Soft",
            website="http://www.lavoir.example.org/accueil",
            commune="26220",
        ),
    )
    assert response.status_code == 302
    draft = ActorPage.objects.get(title="Association Soft")
    assert not draft.live  # still a draft for moderation: never a second public card
    flag = DuplicateFlag.objects.get(page_id=draft.pk)
    assert flag.similar_to_id == asoft.pk and flag.reason == "website"
    body = mail.outbox[-1].body
    assert "doublon possible" in body and f"/admin/pages/{asoft.pk}/edit/" in body


def test_similar_name_in_the_same_commune_is_flagged(client, entries):
    fabrique = existing_actor()
    client.post(
        URL,
        form_data(
            entry_type="acteur",
            kind="acteur:association",
            title="La ressourcerie Lavoir",
            website="",
            commune=fabrique.commune.insee,
        ),
    )
    draft = ActorPage.objects.get(title="La ressourcerie Lavoir")
    assert DuplicateFlag.objects.filter(
        page_id=draft.pk, similar_to_id=fabrique.pk, reason="name"
    ).exists()


def test_a_different_place_is_not_flagged(client, entries):
    client.post(URL, form_data(title="Atelier des Tilleuls", website="https://tilleuls.example"))
    draft = PlacePage.objects.get(title="Atelier des Tilleuls")
    assert not DuplicateFlag.objects.filter(page_id=draft.pk).exists()


def test_same_name_elsewhere_is_not_flagged(entries):
    fabrique = existing_actor()
    from directory.models import Commune

    elsewhere = Commune.objects.exclude(pk=fabrique.commune_id).first()
    assert (
        find_similar(title=fabrique.title, commune_id=elsewhere.pk, locale_id=fabrique.locale_id)
        == []
    )


def test_moderators_see_the_flags_in_a_report_and_in_the_explorer(client, entries):
    asoft = existing_actor()
    client.post(
        URL,
        form_data(
            entry_type="acteur",
            kind="acteur:association",
            title="Association Soft",
            website="https://lavoir.example.org",
        ),
    )
    client.force_login(get_user_model().objects.get(username="admin"))
    html = client.get("/admin/reports/doublons-possibles/").content.decode()
    assert (
        "Association Soft" in html
        and asoft.title in html
        and f"/admin/pages/{asoft.pk}/edit/" in html
    )
    index = asoft.get_parent()
    explorer = client.get(f"/admin/pages/{index.pk}/").content.decode()
    assert "Doublon possible de" in explorer
