"""Statistics without cookies: a same-origin beacon counts views and followed links per page and
month, also while the page cache serves the page; members see theirs, the park sees totals."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from news.models import ArticlePage
from stats.counting import current_month, increment
from stats.models import PageStat
from tests.factories import ArticlePageFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
HIT = "/stats/hit/"
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture(autouse=True)
def _no_earlier_counts():
    """Browser tests on a live server commit real beacon hits: each test here counts from zero
    (inside its own rolled-back transaction)."""
    PageStat.objects.all().delete()


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("redaction-stats", password="x")


@pytest.fixture
def organisation(editor):
    """A member organisation with its live directory entry, an article and an editor."""
    organisation = OrganisationFactory(
        name="Association des statistiques", editors=[editor], published_entry=True
    )
    ArticlePageFactory(organisation=organisation)
    return organisation


def count(page, kind="view"):
    stat = PageStat.objects.filter(page_id=page.pk, month=current_month(), kind=kind).first()
    return stat.count if stat else 0


def test_a_view_is_counted_while_the_page_cache_serves_the_page(client, settings, organisation):
    settings.PAGE_CACHE_ENABLED = True
    url = organisation.actor_page.url
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert second.headers.get("X-Page-Cache") == "hit"
    html = second.content.decode()
    assert f'data-stats-page="{organisation.actor_page.pk}"' in html and "stats/js/beacon" in html
    for _visitor in range(3):
        response = client.post(
            HIT, {"page": organisation.actor_page.pk, "kind": "view"}, **SAME_ORIGIN
        )
        assert response.status_code == 204
        assert "Set-Cookie" not in response.headers and not response.cookies
        assert "no-cache" in response.headers["Cache-Control"]
    assert count(organisation.actor_page) == 3
    assert client.get(url).headers.get("X-Page-Cache") == "hit"  # counting did not drop the cache


def test_nothing_personal_is_stored():
    columns = {field.name for field in PageStat._meta.get_fields()}
    assert columns == {"id", "page", "month", "kind", "count"}


@pytest.mark.parametrize("header", [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}])
def test_do_not_track_and_global_privacy_control_are_respected(client, organisation, header):
    response = client.post(
        HIT, {"page": organisation.actor_page.pk, "kind": "view"}, **SAME_ORIGIN, **header
    )
    assert response.status_code == 204
    assert count(organisation.actor_page) == 0


def test_link_follows_are_counted_by_kind(client, organisation):
    for kind in ("website", "phone", "phone", "email"):
        assert (
            client.post(
                HIT, {"page": organisation.actor_page.pk, "kind": kind}, **SAME_ORIGIN
            ).status_code
            == 204
        )
    assert (
        count(organisation.actor_page, "website"),
        count(organisation.actor_page, "phone"),
        count(organisation.actor_page, "email"),
    ) == (1, 2, 1)


def test_bad_beacons_get_a_clear_4xx_and_count_nothing(client, organisation):
    home = Page.objects.get(depth=2, locale__language_code="fr")
    assert (
        client.post(HIT, {"page": organisation.actor_page.pk, "kind": "download"}).status_code
        == 400
    )
    assert client.post(HIT, {"page": "abc", "kind": "view"}).status_code == 400
    assert client.post(HIT, {"page": "999999999", "kind": "view"}).status_code == 400
    assert (
        client.post(HIT, {"page": home.pk, "kind": "view"}).status_code == 400
    )  # not a counted page
    assert client.get(HIT).status_code == 405
    cross = client.post(
        HIT, {"page": organisation.actor_page.pk, "kind": "view"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert cross.status_code == 403
    other = client.post(
        HIT,
        {"page": organisation.actor_page.pk, "kind": "view"},
        HTTP_ORIGIN="https://ailleurs.example",
    )
    assert other.status_code == 403
    assert not PageStat.objects.exists()


def test_the_beacon_is_only_on_counted_pages(client, organisation):
    assert "stats/js/beacon" not in client.get("/").content.decode()
    article = ArticlePageFactory(organisation=organisation)
    assert f'data-stats-page="{article.pk}"' in client.get(article.url).content.decode()


def test_increments_add_up_in_the_database(organisation):
    for _n in range(5):
        increment(organisation.actor_page.pk, "view")
    assert PageStat.objects.filter(page_id=organisation.actor_page.pk).count() == 1
    assert count(organisation.actor_page) == 5


def test_member_dashboard_shows_its_monthly_figures(client, organisation, editor):
    article = ArticlePage.objects.live().descendant_of(organisation.news_page).first()
    for _n in range(4):
        increment(organisation.actor_page.pk, "view")
    for _n in range(2):
        increment(article.pk, "view")
    increment(organisation.actor_page.pk, "website")
    other = OrganisationFactory(published_entry=True)
    increment(other.actor_page.pk, "view")
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "Consultations des pages de Association des statistiques" in html
    table = html[html.index("Consultations des pages de Association des statistiques") :]
    table = table[: table.index("</table>")]
    assert "<td>4</td><td>2</td><td>0</td><td>1</td><td>0</td><td>0</td>" in table
    assert f"Consultations des pages de {other.name}" not in html


def test_park_report_shows_totals_and_top_pages(client, organisation, editor):
    for _n in range(3):
        increment(organisation.actor_page.pk, "view")
    increment(organisation.actor_page.pk, "email")
    client.force_login(get_user_model().objects.get(username="parc"))
    response = client.get("/admin/reports/statistiques/")
    assert response.status_code == 200
    html = response.content.decode()
    assert organisation.actor_page.title in html
    assert "<td>3</td><td>0</td><td>0</td><td>1</td>" in html
    client.force_login(editor)
    assert client.get("/admin/reports/statistiques/").status_code in (302, 403)
