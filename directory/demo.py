"""Demo content for the directory: the actors named in the network's founding document and a few
plausible places in real communes of the territory. Facts (names, fields of work) come from the
seed; addresses, hours and services are made up for the demonstration. Idempotent.

The members app attaches organisations to the ActorPages by slug (asoft, aventic, point-cyb,
la-cigale-de-nyons, recyclerie-la-fabrique): keep those slugs.
"""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import Page

from core.demo import ensure_translation

from .models import ActorKind, ActorPage, Commune, PlaceKind, PlacePage, Service

# slug, title, kind, commune INSEE, member?, themes, sectors, FR summary, EN (title, summary) or None,
# extra fields
ACTORS = [
    (
        "asoft",
        "ASOFT",
        "mediation-numerique",
        "26063",
        True,
        ["culture-numerique", "services-au-public"],
        ["numerique", "education"],
        "Association de médiation numérique : ateliers, accompagnement aux démarches en ligne et "
        "initiation aux outils du quotidien.",
        (
            "ASOFT",
            "A digital-inclusion association: workshops, help with online paperwork and first "
            "steps with everyday digital tools.",
        ),
        {"website": "https://asoft.example.org", "phone": "04 75 00 00 01"},
    ),
    (
        "aventic",
        "Aventic",
        "mediation-numerique",
        "05166",
        True,
        ["culture-numerique", "services-au-public"],
        ["numerique"],
        "Médiation numérique itinérante dans les villages : permanences, ateliers collectifs et "
        "conseils pour utiliser internet en sécurité.",
        (
            "Aventic",
            "Digital inclusion on the move across the villages: drop-in sessions, group "
            "workshops and advice on staying safe online.",
        ),
        {},
    ),
    (
        "point-cyb",
        "Point Cyb",
        "mediation-numerique",
        "05070",
        True,
        ["culture-numerique", "services-au-public"],
        ["numerique", "education"],
        "Point d'accès et de médiation numérique pour les jeunes et les habitants : ordinateurs en "
        "libre accès et accompagnement.",
        None,
        {},
    ),
    (
        "la-cigale-de-nyons",
        "La Cigale de Nyons",
        "culture",
        "26220",
        True,
        ["pratiques-collaboratives", "culture-numerique"],
        ["culture"],
        "Lieu culturel de Nyons, à l'origine des Rencontres solidaires consacrées aux pôles "
        "territoriaux de coopération économique et aux tiers-lieux.",
        (
            "La Cigale de Nyons",
            "A cultural venue in Nyons that started the Rencontres solidaires on "
            "economic cooperation hubs and third places.",
        ),
        {"address": "Place de la Libération, 26110 Nyons"},
    ),
    (
        "pays-une-autre-provence",
        "Pays Une Autre Provence",
        "collectivite",
        "26220",
        False,
        ["developpement-economique", "services-au-public"],
        ["tourisme", "agriculture"],
        "Chargée de mission du Pays : accompagne les projets de développement du territoire drômois.",
        None,
        {},
    ),
    (
        "pays-sisteronais-buech",
        "Pays Sisteronais-Buëch",
        "collectivite",
        "04209",
        False,
        ["developpement-economique"],
        ["tourisme", "energie"],
        "Chargé de mission du Pays : relie les projets de tiers-lieux et de télétravail côté Hautes-Alpes.",
        None,
        {},
    ),
    (
        "cc-val-d-eygues",
        "Communauté de communes du Val d'Eygues",
        "collectivite",
        "26220",
        False,
        ["developpement-economique", "services-au-public"],
        [],
        "Intercommunalité dont la chargée de mission suit les projets d'accueil de nouveaux actifs.",
        None,
        {},
    ),
    (
        "cc-vallee-de-l-oule",
        "Communauté de communes de la Vallée de l'Oule",
        "espace-rural-numerique",
        "26264",
        False,
        ["services-au-public", "culture-numerique"],
        ["numerique"],
        "Anime un espace rural numérique : accès à internet, ateliers et aide aux démarches pour les "
        "habitants de la vallée.",
        None,
        {},
    ),
    (
        "ensemble-ici",
        "Ensemble ici",
        "association",
        "26063",
        False,
        ["pratiques-collaboratives"],
        ["culture", "education"],
        "Association de la vie locale qui fait se rencontrer habitants et initiatives collectives.",
        None,
        {},
    ),
    (
        "recyclerie-la-fabrique",
        "Recyclerie La Fabrique",
        "entreprise-sociale",
        "26220",
        True,
        ["developpement-economique", "pratiques-collaboratives"],
        ["artisanat", "energie"],
        "Entreprise sociale de Nyons : collecte, réparation et revente d'objets, ateliers de réemploi.",
        (
            "Recyclerie La Fabrique",
            "A social enterprise in Nyons: collecting, repairing and reselling "
            "goods, with reuse workshops.",
        ),
        {"latitude": 44.3601, "longitude": 5.1402},
    ),
]

# The prices of the places that have an English version, in English.
PRICES_EN = {
    "Gratuit.": "Free.",
    "Adhésion à prix libre.": "Membership: pay what you can.",
}

# slug, title, kind, commune, operator slugs, services, themes, FR summary, hours, extra, EN or None
PLACES = [
    (
        "espace-numerique-buis",
        "Espace numérique de Buis-les-Baronnies",
        "espace-public-numerique",
        "26063",
        ["asoft"],
        ["poste-informatique", "internet-haut-debit", "aide-demarches", "initiation-numerique"],
        ["culture-numerique", "services-au-public"],
        "Des ordinateurs en libre accès et une aide pour les démarches en ligne, avec ou sans rendez-vous.",
        "Tu,Th 09:00-12:00,14:00-17:30; Sa 09:00-12:00",
        {
            "latitude": 44.2755,
            "longitude": 5.2718,
            "wheelchair": "yes",
            "capacity": 8,
            "prices": "Gratuit.",
        },
        (
            "Buis-les-Baronnies digital space",
            "Public computers and help with online paperwork, with or without an appointment.",
        ),
    ),
    (
        "atelier-reemploi-nyons",
        "Atelier de réemploi de La Fabrique",
        "recyclerie",
        "26220",
        ["recyclerie-la-fabrique"],
        ["reparation", "materiel-reconditionne"],
        ["pratiques-collaboratives"],
        "La recyclerie ouvre son atelier : réparer ses objets, trouver du matériel reconditionné.",
        "We-Sa 10:00-18:00",
        {
            "latitude": 44.3597,
            "longitude": 5.1395,
            "wheelchair": "limited",
            "prices": "Adhésion à prix libre.",
        },
        (
            "La Fabrique reuse workshop",
            "The recyclerie opens its workshop: repair your things, find refurbished equipment.",
        ),
    ),
    (
        "coworking-serres",
        "Coworking de Serres",
        "coworking",
        "05166",
        ["aventic"],
        ["bureaux", "internet-haut-debit", "salle-de-reunion", "visioconference"],
        ["developpement-economique", "pratiques-collaboratives"],
        "Des bureaux partagés et une salle de réunion équipée pour la visioconférence, au cœur du bourg.",
        "Mo-Fr 08:30-18:30",
        {"wheelchair": "yes", "capacity": 12, "prices": "Journée : 12 € ; mois : 120 €."},
        None,
    ),
    (
        "fab-lab-laragne",
        "Fab lab de Laragne",
        "fab-lab",
        "05070",
        ["point-cyb"],
        ["impression-3d", "decoupe-laser", "initiation-numerique"],
        ["culture-numerique", "pratiques-collaboratives"],
        "Imprimantes 3D et découpeuse laser, avec des soirées ouvertes pour apprendre à s'en servir.",
        "Tu 17:00-21:00; Sa 14:00-18:00",
        {"latitude": 44.3335, "longitude": 5.8190, "capacity": 15},
        None,
    ),
    (
        "tiers-lieu-sederon",
        "Tiers-lieu de Séderon",
        "tiers-lieu",
        "26340",
        ["ensemble-ici"],
        ["bureaux", "internet-haut-debit", "domiciliation"],
        ["developpement-economique", "pratiques-collaboratives"],
        "Un lieu partagé en haute vallée : bureaux, café associatif les jours de marché, domiciliation.",
        "Mo-Fr 09:00-17:00; PH off",
        {"prices": "Sur adhésion."},
        None,
    ),
    (
        "espace-rural-numerique-remuzat",
        "Espace rural numérique de la Vallée de l'Oule",
        "espace-public-numerique",
        "26264",
        ["cc-vallee-de-l-oule"],
        ["poste-informatique", "aide-demarches", "securite-numerique"],
        ["services-au-public"],
        "Accès à internet et accompagnement aux démarches pour les habitants de la vallée.",
        "Mo,We 14:00-17:00",
        {},
        None,
    ),
]

STALE_SLUG = "ensemble-ici"  # published long ago, to show the freshness report


def _set_relations(page, themes, sectors, locale, ThemeModel, SectorModel):
    page.themes = list(ThemeModel.objects.filter(locale=locale, slug__in=themes))
    page.sectors = list(SectorModel.objects.filter(locale=locale, slug__in=sectors))


def _ensure(parent, model, slug, fields, relations):
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = model(slug=slug, **fields)
    relations(page)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def build(ctx):
    from taxonomy.models import Sector, Theme

    index = (
        ctx.pages.get("directory")
        or Page.objects.get(depth=3, slug="annuaire", locale=ctx.fr).specific
    )
    fr, en = ctx.fr, ctx.en
    communes = {
        c.insee: c
        for c in Commune.objects.filter(insee__in={a[3] for a in ACTORS} | {p[3] for p in PLACES})
    }
    actors = {}
    for slug, title, kind, insee, member, themes, sectors, summary, english, extra in ACTORS:
        fields = {
            "title": title,
            "summary": summary,
            "commune": communes[insee],
            "is_member": member,
            "kind": ActorKind.objects.get(slug=kind, locale=fr),
            "description": f"<p>{summary}</p>",
            **extra,
        }
        page, created = _ensure(
            index,
            ActorPage,
            slug,
            fields,
            lambda p, t=themes, s=sectors: _set_relations(p, t, s, fr, Theme, Sector),
        )
        actors[slug] = page
        if created and slug == STALE_SLUG:
            long_ago = timezone.now() - timedelta(days=430)
            ActorPage.objects.filter(pk=page.pk).update(
                last_published_at=long_ago, latest_revision_created_at=long_ago
            )
        if english:
            en_title, en_summary = english
            ensure_translation(
                page,
                en,
                relations=lambda p, t=themes, s=sectors: _set_relations(p, t, s, en, Theme, Sector),
                title=en_title,
                summary=en_summary,
                description=f"<p>{en_summary}</p>",
                kind=ActorKind.objects.get(slug=kind, locale=en),
            )
    for (
        slug,
        title,
        kind,
        insee,
        operators,
        services,
        themes,
        summary,
        hours,
        extra,
        english,
    ) in PLACES:
        parent = actors[operators[0]] if slug == "espace-numerique-buis" else index
        fields = {
            "title": title,
            "summary": summary,
            "commune": communes[insee],
            "kind": PlaceKind.objects.get(slug=kind, locale=fr),
            "opening_hours": hours,
            "description": f"<p>{summary}</p>",
            **extra,
        }

        def relations(p, locale, t=themes, s=services, o=operators):
            _set_relations(p, t, [], locale, Theme, Sector)
            p.services = list(Service.objects.filter(locale=locale, slug__in=s))
            p.operators = [
                actor if locale == fr else actor.get_translation_or_none(en) or actor
                for actor in (actors[key] for key in o)
            ]

        page, _created = _ensure(parent, PlacePage, slug, fields, lambda p, r=relations: r(p, fr))
        if english:
            en_title, en_summary = english
            ensure_translation(
                page,
                en,
                relations=lambda p, r=relations: r(p, en),
                title=en_title,
                summary=en_summary,
                description=f"<p>{en_summary}</p>",
                kind=PlaceKind.objects.get(slug=kind, locale=en),
                **(
                    {"prices": PRICES_EN[extra["prices"]]}
                    if extra.get("prices") in PRICES_EN
                    else {}
                ),
            )
    ctx.pages["directory_actors"] = actors
    ctx.log(f"Annuaire : {len(ACTORS)} acteurs, {len(PLACES)} lieux.")
