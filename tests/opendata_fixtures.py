"""Directory entries for the open-data, contribution and import tests (built on the demo site).

Import the ``entries`` fixture into a test module: ``from tests.opendata_fixtures import entries``.
Vocabulary rows are fetched or created by slug, so that they coexist with the demo's own.
"""

import pytest


def _commune(Commune, insee, name, postal, department, lat, lon):
    commune, _ = Commune.objects.get_or_create(
        insee=insee,
        defaults={
            "name": name,
            "postal_code": postal,
            "department": department,
            "latitude": lat,
            "longitude": lon,
        },
    )
    return commune


def _vocab(model, slug, name, locale, **extra):
    obj, _ = model.objects.get_or_create(slug=slug, locale=locale, defaults={"name": name, **extra})
    return obj


def _add(parent, page, publish=True):
    page.live = publish
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def entries(db):
    from django.contrib.auth.models import Group
    from wagtail.models import Locale, PageViewRestriction

    from directory.models import (
        ActorKind,
        ActorPage,
        Commune,
        PlaceKind,
        PlacePage,
        Service,
    )
    from directory.pages import DirectoryIndexPage
    from taxonomy.models import Theme

    fr = Locale.objects.get(language_code="fr")
    index = DirectoryIndexPage.objects.get(locale=fr)
    nyons = _commune(Commune, "26220", "Nyons", "26110", "26", 44.3606, 5.1406)
    buis = _commune(Commune, "26063", "Buis-les-Baronnies", "26170", "26", 44.2756, 5.2714)
    serres = _commune(Commune, "05166", "Serres", "05700", "05", 44.4286, 5.7172)
    mediation_kind = _vocab(ActorKind, "mediation-numerique", "Médiation numérique", fr)
    association = _vocab(ActorKind, "association", "Association", fr)
    ressourcerie = _vocab(PlaceKind, "recyclerie-ressourcerie", "Recyclerie / ressourcerie", fr)
    coworking = _vocab(PlaceKind, "coworking", "Coworking", fr)
    help_digital = _vocab(
        Service,
        "aide-numerique",
        "Aide aux démarches en ligne",
        fr,
        mediation_numerique="Aide aux démarches administratives",
    )
    internet = _vocab(
        Service,
        "internet-haut-debit",
        "Internet haut débit",
        fr,
        mediation_numerique="Accès internet et matériel informatique",
    )
    desks = _vocab(Service, "bureaux", "Bureaux partagés", fr)
    culture = Theme.objects.get(slug="culture-numerique", locale=fr)
    services_theme = Theme.objects.get(slug="services-au-public", locale=fr)

    asoft = ActorPage(
        title="Association test ASOFT",
        slug="test-asoft",
        summary="Médiation numérique itinérante.",
        description="<p>Ateliers &amp; permanences.</p>",
        kind=mediation_kind,
        commune=buis,
        address="Place du Marché",
        phone="04 75 00 00 01",
        email="contact@asoft.example",
        website="https://asoft.example",
        is_member=True,
        mastodon_url="https://mastodon.example/@asoft",
    )
    _add(index, asoft)
    asoft.themes.set([culture, services_theme])
    asoft.save_revision().publish()

    fabrique = PlacePage(
        title="La Fabrique test",
        slug="test-la-fabrique",
        summary="Recyclerie et atelier partagé.",
        kind=ressourcerie,
        commune=nyons,
        latitude=44.361,
        longitude=5.139,
        opening_hours="Mo-Fr 09:00-12:00",
        prices="Gratuit",
        wheelchair="yes",
        capacity=12,
    )
    _add(index, fabrique)
    fabrique.services.set([help_digital, desks])
    fabrique.themes.set([services_theme])
    fabrique.operators.set([asoft])
    fabrique.save_revision().publish()

    espace = PlacePage(
        title="Espace numérique test",
        slug="test-espace",
        summary="Un espace public numérique.",
        kind=coworking,
        commune=buis,  # no coordinates: mapped at its commune
    )
    _add(asoft, espace)
    espace.services.set([internet])
    espace.save_revision().publish()

    serres_actor = ActorPage(
        title="Collectif test Serres",
        slug="test-serres",
        summary="Un collectif des Hautes-Alpes.",
        kind=association,
        commune=serres,
    )
    _add(index, serres_actor)

    draft = ActorPage(
        title="Brouillon secret test",
        slug="test-brouillon",
        summary="Pas publié.",
        kind=association,
    )
    _add(index, draft, publish=False)

    private = ActorPage(
        title="Entrée privée test",
        slug="test-privee",
        summary="Réservée.",
        kind=association,
        commune=nyons,
    )
    _add(index, private)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    return {
        "index": index,
        "asoft": ActorPage.objects.get(pk=asoft.pk),
        "fabrique": PlacePage.objects.get(pk=fabrique.pk),
        "espace": PlacePage.objects.get(pk=espace.pk),
        "serres": ActorPage.objects.get(pk=serres_actor.pk),
        "draft": draft,
        "private": private,
        "communes": {"nyons": nyons, "buis": buis, "serres": serres},
        "group": Group.objects.get(name="Équipe du Parc"),
    }
