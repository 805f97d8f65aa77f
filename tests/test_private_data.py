"""Private data (drafts, revisions, form submissions, users' emails) needs the right role."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Site

from tests.a11y_pages import all_pages
from tests.private_urls import MEMBER, PRIVATE_URLS

SECRET = "Brouillon confidentiel 7f3a"


@pytest.fixture
def draft_page(demo):
    """A live page (owned by the park, outside any member's section) with a secret draft."""
    page = demo["home"].get_children().get(slug="le-reseau").specific
    page.title = SECRET
    revision = page.save_revision()
    return page, revision


@pytest.fixture
def private_objects(draft_page):
    """Private records of each app, each holding SECRET: what the refused answers must not show."""
    from wagtail.contrib.forms.models import FormSubmission
    from wagtail.contrib.search_promotions.models import Query

    from contact.models import FormPage
    from directory.contributions import create_draft
    from directory.models import Commune, Contribution
    from events.models import EventPage, Registration
    from members.models import Organisation

    entry = create_draft(
        {
            "entry_type": "lieu",
            "kind": "lieu:coworking",
            "title": f"{SECRET} lieu",
            "summary": SECRET,
            "commune": Commune.objects.get(insee="26220"),
            "contributor_name": SECRET,
            "contributor_email": "secret-7f3a@example.org",
        },
        draft_page[0].locale,
    )
    event = EventPage.objects.live().filter(locale__language_code="fr").first()
    registration = Registration.objects.create(
        event=event, name=SECRET, email="secret-7f3a@example.org"
    )
    form_page = FormPage.objects.get(slug="nous-contacter", locale__language_code="fr")
    FormSubmission.objects.create(page=form_page, form_data={"nom": SECRET, "message": SECRET})
    Query.get(SECRET).add_hit()
    organisation = Organisation.objects.create(name=f"{SECRET} orga", slug="orga-7f3a")
    return {
        "entry": entry,
        "contribution": Contribution.objects.get(page=entry),
        "registration": registration,
        "form_page": form_page,
        "organisation": organisation,
    }


def private_ids(draft_page, objects=None):
    page, revision = draft_page
    ids = {
        "page_id": page.pk,
        "revision_id": revision.pk,
        "user_id": get_user_model().objects.get(username="parc").pk,
        "site_id": Site.objects.get(is_default_site=True).pk,
    }
    if objects:
        ids |= {
            "entry_id": objects["entry"].pk,
            "entry_slug": objects["entry"].slug,
            "contribution_id": objects["contribution"].pk,
            "registration_id": objects["registration"].pk,
            "form_page_id": objects["form_page"].pk,
            "organisation_id": objects["organisation"].pk,
        }
    return ids


def is_refused(response):
    if response.status_code in {401, 403, 404}:
        return True
    return (
        response.status_code == 302
        and "/admin/login/" in response["Location"]
        or (response.status_code == 302 and response["Location"].rstrip("/").endswith("/admin"))
    )


CASES = [(label, url, who) for label, url, roles in PRIVATE_URLS for who in sorted(roles)]


@pytest.mark.django_db
@pytest.mark.parametrize("label,url,who", CASES, ids=[f"{c[0]} as {c[2]}" for c in CASES])
def test_private_admin_urls_are_refused_without_the_right_role(
    client, draft_page, private_objects, label, url, who
):
    if who == MEMBER:
        client.force_login(get_user_model().objects.get(username="asoft"))
    response = client.get(url.format(**private_ids(draft_page, private_objects)))
    assert is_refused(response), f"{label} answered {response.status_code} to {who}"
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_an_administrator_can_see_the_draft(client, draft_page):
    """The refusals above are about roles, not broken URLs: the right role gets in."""
    client.force_login(get_user_model().objects.get(username="admin"))
    ids = private_ids(draft_page)
    response = client.get(f"/admin/pages/{ids['page_id']}/view_draft/")
    assert response.status_code == 200
    assert SECRET in response.content.decode()


ADMIN_URLS = [(label, url) for label, url, _roles in PRIVATE_URLS if url.startswith("/admin/")]


@pytest.mark.django_db
@pytest.mark.parametrize("label,url", ADMIN_URLS, ids=[label for label, _url in ADMIN_URLS])
def test_an_administrator_reaches_every_private_admin_url(
    client, draft_page, private_objects, label, url
):
    """Every listed admin URL exists and opens for the right role (so the refusals mean something)."""
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.get(url.format(**private_ids(draft_page, private_objects)))
    assert response.status_code == 200, f"{label}: {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?preview", "?preview=1", "?revision={revision_id}", "?draft=1"])
def test_drafts_never_leak_on_the_public_page(client, draft_page, query):
    page, revision = draft_page
    response = client.get(page.url + query.format(revision_id=revision.pk))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


@pytest.mark.django_db
def test_an_unpublished_page_is_not_found(client, draft_page):
    page, _revision = draft_page
    url = page.url
    page.unpublish()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_no_public_page_shows_an_account_email(client):
    emails = list(get_user_model().objects.values_list("email", flat=True))
    for _type, url, _status in all_pages():
        html = client.get(url).content.decode()
        for email in emails:
            assert email not in html, f"{email} on {url}"
