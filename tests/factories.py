"""Factories for the site's models, built on wagtail-factories.

Every content page type has one. Pages are created and published (a revision, a first
publication date) under the demo's section of their language (French unless ``parent`` says
otherwise); ``published_at`` back-dates the publication, ``published=False`` leaves a draft.
Section pages and home pages are singletons per language, made by onboarding and the demo (the
site skeleton), so they have no factory. Organisation folders come from ``OrganisationFactory``,
which onboards an organisation as the admin's "Intégrer" does (``editors=[user, …]`` puts users
in its editors' group). ``translation(page)`` gives a page its live English translation; ``submit_for_moderation`` and
``send_back`` put a draft in the moderation states an editor and a moderator would.
"""

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale

from directory.models import (
    ActorKind,
    ActorPage,
    Commune,
    PlaceKind,
    PlacePage,
    Service,
)
from directory.pages import DirectoryIndexPage
from dossiers.models import DossierIndexPage, DossierPage
from events.models import EventPage
from home.models import HomePage, StandardPage
from images.models import CustomImage
from news.models import ArticlePage
from taxonomy.models import Theme


def section(model, language="fr"):
    return model.objects.get(locale__language_code=language)


def first_french(vocabulary):
    return vocabulary.objects.filter(locale__language_code="fr").first()


def commune(insee="26220"):  # Nyons
    return Commune.objects.get(insee=insee)


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    description = "Une colline au soleil couchant"
    credit = "Photo : Parc des Baronnies"

    class Meta:
        model = CustomImage


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page added under ``parent``, then published through a revision, as an editor would."""

    published = True
    published_at = None
    # Unique, so that tests may give several pages the same title.
    slug = factory.LazyAttributeSequence(lambda o, n: f"{slugify(o.title)[:80] or 'page'}-{n}")

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, published=True, published_at=None, **kwargs):
        if not published:
            kwargs["live"] = False
        page = super()._create(model_class, *args, **kwargs)
        revision = page.save_revision()
        if published:
            revision.publish()
            if published_at is not None:
                model_class.objects.filter(pk=page.pk).update(
                    first_published_at=published_at, last_published_at=published_at
                )
        page.refresh_from_db()
        return page


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def stale(page, days=430):
    """The page as if last published ``days`` ago (the directory flags entries older than a year)."""
    long_ago = timezone.now() - datetime.timedelta(days=days)
    type(page).objects.filter(pk=page.pk).update(
        last_published_at=long_ago, latest_revision_created_at=long_ago
    )
    page.refresh_from_db()
    return page


def translation(page, language="en", **fields):
    """The live translation of ``page`` in ``language``, made as a translator would (its parent
    must have a counterpart there: a section, or an organisation's folder)."""
    translated = page.copy_for_translation(
        Locale.objects.get(language_code=language), copy_parents=True
    )
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()
    translated.refresh_from_db()
    return translated.specific


def submit_for_moderation(page, user):
    """``user`` submits the page's latest draft to its moderation workflow ("Modération du Parc")."""
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def send_back(page, moderator, comment):
    """The moderator rejects the submitted page with a comment (sent back for changes)."""
    task_state = page.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject", comment=comment)


class StandardPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Page {n}")
    intro = "<p>Une page de test.</p>"
    parent = factory.LazyFunction(lambda: section(HomePage))

    class Meta:
        model = StandardPage


class OrganisationFactory(factory.Factory):
    """A member organisation onboarded with its three section pages (members/onboarding.py)."""

    name = factory.Sequence(lambda n: f"Association de test {n}")
    editors = ()
    published_entry = False  # onboarding leaves the directory entry a draft stub; True publishes it

    class Meta:
        model = dict

    @classmethod
    def _create(cls, model_class, name, editors=(), published_entry=False):
        from members.onboarding import onboard

        organisation = onboard(name)
        for user in editors:
            user.groups.add(organisation.group)
        if published_entry:
            organisation.actor_page.get_latest_revision().publish()
            organisation.actor_page.refresh_from_db()
        return organisation


class ArticlePageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Article de test {n}")
    lead = "Un chapô de test, en deux phrases. La seconde est courte."
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Un paragraphe de test.</p>")])
    organisation = factory.SubFactory(OrganisationFactory)
    parent = factory.LazyAttribute(lambda o: o.organisation.news_page)

    class Meta:
        model = ArticlePage


class EventPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Atelier de test {n}")
    lead = "Un atelier de test, pour tous."
    start = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=10)).replace(
            hour=17, minute=0, second=0, microsecond=0
        )
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    commune = factory.LazyFunction(commune)
    organisation = factory.SubFactory(OrganisationFactory)
    parent = factory.LazyAttribute(lambda o: o.organisation.events_page)

    class Meta:
        model = EventPage
        exclude = ["organisation"]


class DirectoryEntryFactory(PublishedPageFactory):
    """An entry of the French directory, in Nyons."""

    commune = factory.LazyFunction(commune)
    parent = factory.LazyFunction(lambda: section(DirectoryIndexPage))

    class Meta:
        abstract = True


class ActorPageFactory(DirectoryEntryFactory):
    title = factory.Sequence(lambda n: f"Acteur de test {n}")
    summary = "Un acteur de test du territoire."
    kind = factory.LazyFunction(lambda: first_french(ActorKind))

    class Meta:
        model = ActorPage


class PlacePageFactory(DirectoryEntryFactory):
    title = factory.Sequence(lambda n: f"Lieu de test {n}")
    summary = "Un tiers-lieu de test."
    kind = factory.LazyFunction(lambda: first_french(PlaceKind))

    class Meta:
        model = PlacePage


class ThemeFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Thème de test {n}")
    slug = factory.Sequence(lambda n: f"theme-de-test-{n}")
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="fr"))

    class Meta:
        model = Theme


class ServiceFactory(factory.django.DjangoModelFactory):
    """A service a place offers (a facet of the directory), in French."""

    name = factory.Sequence(lambda n: f"Service de test {n}")
    slug = factory.Sequence(lambda n: f"service-de-test-{n}")
    locale = factory.LazyFunction(lambda: Locale.objects.get(language_code="fr"))

    class Meta:
        model = Service


class DossierPageFactory(PublishedPageFactory):
    title = factory.Sequence(lambda n: f"Dossier de test {n}")
    introduction = "<p>Une introduction de test.</p>"
    theme = factory.SubFactory(ThemeFactory)  # a theme has one dossier
    parent = factory.LazyFunction(lambda: section(DossierIndexPage))

    class Meta:
        model = DossierPage
