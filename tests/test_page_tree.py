"""The page tree follows the site's structure: each page type only where it belongs."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from contact.models import FormPage
from directory.pages import DirectoryIndexPage
from dossiers.models import DossierIndexPage, DossierPage
from events.models import EventIndexPage
from home.models import HomePage, StandardPage
from news.models import NewsIndexPage

SECTIONS = {DirectoryIndexPage, NewsIndexPage, EventIndexPage, DossierIndexPage}


class PageTreeRulesTest(WagtailPageTestCase):
    def test_home_page_only_sits_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_holds_the_sections_and_standard_pages(self):
        self.assertAllowedSubpageTypes(HomePage, {StandardPage, FormPage} | SECTIONS)

    def test_dossiers_only_sit_under_the_dossier_index(self):
        self.assertAllowedParentPageTypes(DossierPage, {DossierIndexPage})
        self.assertAllowedSubpageTypes(DossierIndexPage, {DossierPage})
        self.assertAllowedSubpageTypes(DossierPage, set())

    def test_forms_sit_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(FormPage, {HomePage})

    def test_sections_only_sit_under_the_home_page(self):
        for section in SECTIONS:
            self.assertAllowedParentPageTypes(section, {HomePage})

    def test_standard_pages_nest_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})

    def test_a_second_home_page_cannot_be_created_once_one_exists(self):
        self.assertTrue(HomePage.objects.exists())
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_each_section_exists_once_under_the_home_page(self):
        home = HomePage.objects.get(locale__language_code="fr")
        for section in SECTIONS:
            self.assertEqual(section.objects.filter(locale=home.locale).count(), 1)
            self.assertFalse(section.can_create_at(home))
        self.assertTrue(StandardPage.can_create_at(home))
