"""Each content page type has a factory that makes a live page which renders, so that tests can
build the content they need instead of depending on the demo's texts."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = [
    factories.StandardPageFactory,
    factories.ArticlePageFactory,
    factories.EventPageFactory,
    factories.ActorPageFactory,
    factories.PlacePageFactory,
    factories.DossierPageFactory,
]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_each_page_factory_makes_a_live_page_that_renders_under_its_section(client, factory):
    page = factory()
    assert page.live and page.pk
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_an_article_factory_files_the_article_in_its_organisations_news_folder():
    article = factories.ArticlePageFactory()
    assert article.get_parent().pk == article.organisation.news_page.pk
    assert article.url.startswith(f"/actualites/{article.organisation.news_page.slug}/")
