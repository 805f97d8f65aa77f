"""Demo content for the news: one folder per member organisation and the park, a few articles.

Facts come from the network's founding document; the wording is ours. Folders are found or
created by slug (the members app's onboarding uses the same slugs), so whichever runs first wins.
"""

from datetime import timedelta

from django.utils import timezone

from core.demo import demo_image, ensure_child, ensure_translation

# slug, name, FR intro, EN intro
ORGANISATIONS = [
    (
        "asoft",
        "ASOFT",
        "Médiation numérique et accompagnement aux usages.",
        "Digital inclusion and support.",
    ),
    (
        "la-cigale-de-nyons",
        "La Cigale de Nyons",
        "Lieu culturel à Nyons, à l'initiative des Rencontres Solidaires.",
        "A cultural venue in Nyons, behind the Rencontres Solidaires.",
    ),
    (
        "aventic",
        "Aventic",
        "Médiation numérique sur le territoire.",
        "Digital inclusion across the territory.",
    ),
    (
        "point-cyb",
        "Point Cyb",
        "Un espace public numérique ouvert à tous.",
        "A public digital space open to all.",
    ),
    (
        "recyclerie-la-fabrique",
        "Recyclerie La Fabrique",
        "Entreprise sociale du réemploi, à Nyons.",
        "A social enterprise for reuse, in Nyons.",
    ),
]
PARK = (
    "parc",
    "Parc naturel régional des Baronnies provençales",
    "Les nouvelles du réseau, par l'équipe du Parc qui l'anime.",
    "News of the network, from the Park's staff who run it.",
)


def ensure_organisation(slug, name):
    """The member Organisation with this slug (created bare if the members step has not run)."""
    from members.models import Organisation

    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(slug=slug, name=name)
    return organisation


def ensure_folders(ctx, section_key, folder_model, organisation_field):
    """One folder per organisation (and the park) under a section, in French and English."""
    section = ctx.pages[section_key]
    folders = {}
    for slug, name, intro_fr, intro_en in [*ORGANISATIONS, PARK]:
        folder = ensure_child(section, folder_model, slug, title=name, intro=f"<p>{intro_fr}</p>")
        ensure_translation(folder, ctx.en, title=name, intro=f"<p>{intro_en}</p>")
        if slug != PARK[0]:
            organisation = ensure_organisation(slug, name)
            if getattr(organisation, f"{organisation_field}_id") is None:
                setattr(organisation, organisation_field, folder)
                organisation.save(update_fields=[organisation_field])
        folders[slug] = folder
    return folders


def paragraphs(*texts):
    return [("paragraph", "".join(f"<p>{text}</p>" for text in texts))]


# folder slug, article slug, days ago, themes, FR (title, lead, body), EN or None
ARTICLES = [
    (
        "parc",
        "naissance-du-reseau",
        40,
        ["pratiques-collaboratives", "developpement-economique"],
        (
            "Naissance d'un réseau pour les tiers-lieux",
            "Une trentaine d'acteurs des Baronnies provençales se réunissent chaque mois pour faire naître "
            "des lieux de travail partagés et de nouvelles façons de travailler.",
            [
                *paragraphs(
                    "Associations de médiation numérique, lieu culturel, chargés de mission des Pays et des "
                    "intercommunalités, élus, entrepreneurs sociaux : depuis septembre, ils se retrouvent tous "
                    "les mois sous le nom d'Innover en Baronnies provençales.",
                    "Le Syndicat mixte qui gère le Parc naturel régional anime ce collectif ouvert.",
                ),
                ("heading", {"text": "Quatre thèmes de travail", "level": "h2"}),
                *paragraphs(
                    "Développement économique, services au public, pratiques collaboratives et culture "
                    "numérique : quatre portes d'entrée qui concernent aussi le tourisme, l'artisanat, "
                    "l'agriculture ou l'énergie."
                ),
                (
                    "quote",
                    {
                        "quote": "Accueillir de nouveaux actifs en facilitant la pluriactivité, le télétravail et les services en ligne.",
                        "author": "Un objectif de la Charte du Parc",
                    },
                ),
            ],
        ),
        (
            "A network is born for third places",
            "About thirty players in the Baronnies provençales meet every month to create shared workplaces "
            "and new ways of working.",
            [
                *paragraphs(
                    "Digital-inclusion associations, a cultural venue, staff of the Pays and inter-municipal "
                    "bodies, elected officials, social entrepreneurs: since September they have met every month "
                    "as Innover en Baronnies provençales.",
                    "The joint body that manages the Regional Natural Park runs this open group.",
                ),
                ("heading", {"text": "Four working themes", "level": "h2"}),
                *paragraphs(
                    "Economic development, public services, collaborative practices and digital culture: four "
                    "ways in that also touch tourism, crafts, farming and energy."
                ),
            ],
        ),
    ),
    (
        "la-cigale-de-nyons",
        "rencontres-solidaires-ptce-tiers-lieux",
        30,
        ["developpement-economique", "pratiques-collaboratives"],
        (
            "Rencontres Solidaires : deux ateliers sur les PTCE et les tiers-lieux",
            "Pendant les deux journées des Rencontres Solidaires à Nyons, des membres du réseau ont participé "
            "à un atelier sur les pôles territoriaux de coopération économique et à un autre sur les tiers-lieux.",
            paragraphs(
                "La Cigale de Nyons a organisé les Rencontres Solidaires les 23 et 24 octobre.",
                "Deux ateliers ont réuni des membres du réseau : l'un sur les pôles territoriaux de coopération "
                "économique (PTCE), l'autre sur les tiers-lieux et ce qu'ils peuvent apporter au territoire.",
            ),
        ),
        (
            "Rencontres Solidaires: two workshops on PTCEs and third places",
            "During the two days of the Rencontres Solidaires in Nyons, network members took part in a workshop "
            "on local economic cooperation hubs and another on third places.",
            paragraphs(
                "La Cigale in Nyons hosted the Rencontres Solidaires on 23 and 24 October.",
                "Two workshops brought network members together: one on local economic cooperation hubs "
                "(PTCE), the other on third places and what they can bring to the territory.",
            ),
        ),
    ),
    (
        "asoft",
        "accompagner-les-demarches-en-ligne",
        21,
        ["services-au-public", "culture-numerique"],
        (
            "Accompagner les démarches en ligne, près de chez soi",
            "La médiation numérique aide chacun à faire ses démarches et à prendre en main ses outils, "
            "sans se déplacer loin.",
            paragraphs(
                "Les associations de médiation numérique du réseau accompagnent les habitants dans leurs "
                "usages : démarches en ligne, messagerie, sécurité.",
                "Un tiers-lieu peut accueillir ces permanences au plus près des villages.",
            ),
        ),
        None,
    ),
    (
        "aventic",
        "teletravailler-au-pays",
        14,
        ["developpement-economique", "services-au-public"],
        (
            "Télétravailler au pays",
            "Travailler depuis les Baronnies sans renoncer au lien avec le reste du monde : ce qu'un lieu "
            "partagé peut changer.",
            paragraphs(
                "Le télétravail permet d'accueillir de nouveaux actifs et de garder ceux qui sont là.",
                "Un espace partagé rompt l'isolement et offre une bonne connexion, à quelques minutes de chez soi.",
            ),
        ),
        None,
    ),
    (
        "point-cyb",
        "decouvrir-la-culture-numerique",
        9,
        ["culture-numerique"],
        (
            "Découvrir la culture numérique",
            "Comprendre et s'approprier le numérique, à tout âge : des ateliers ouverts à toutes et tous.",
            paragraphs(
                "Créer, partager, comprendre : la culture numérique dépasse les outils.",
                "Les ateliers du réseau sont ouverts aux curieux comme aux habitués.",
            ),
        ),
        None,
    ),
    (
        "recyclerie-la-fabrique",
        "entreprendre-autrement-a-nyons",
        5,
        ["developpement-economique", "pratiques-collaboratives"],
        (
            "Entreprendre autrement à Nyons",
            "Entrepreneur social membre du réseau, la Recyclerie La Fabrique montre qu'activité économique et "
            "utilité locale vont ensemble.",
            paragraphs(
                "Le réseau réunit aussi des entrepreneurs sociaux, comme la Recyclerie La Fabrique à Nyons.",
                "Leur expérience nourrit la réflexion sur les nouvelles formes d'entrepreneuriat.",
            ),
        ),
        None,
    ),
    (
        "parc",
        "premiere-rencontre-publique-a-aubres",
        2,
        [
            "pratiques-collaboratives",
            "culture-numerique",
            "services-au-public",
            "developpement-economique",
        ],
        (
            "Première rencontre publique du réseau, le 14 décembre à Aubres",
            "Une journée ouverte et participative pour parler des tiers-lieux, des nouveaux modes de travail "
            "et de la culture numérique. Venez avec vos idées.",
            paragraphs(
                "La rencontre poursuit deux objectifs : informer sur les enjeux des nouveaux modes de travail et "
                "des tiers-lieux pour le territoire, et susciter des projets en mobilisant l'énergie des "
                "participants.",
                "Dès cette première rencontre, les participants travailleront en ateliers sur les quatre thèmes "
                "du réseau.",
            ),
        ),
        (
            "The network's first public meeting, 14 December in Aubres",
            "An open, participatory day about third places, new ways of working and digital culture. Bring "
            "your ideas.",
            paragraphs(
                "The meeting has two aims: to explain what new ways of working and third places mean for the "
                "territory, and to spark projects by drawing on the participants' energy.",
                "From this first meeting on, participants will work in workshops on the network's four themes.",
            ),
        ),
    ),
]


def build(ctx):
    from news.models import ArticlePage, OrganisationNewsPage
    from taxonomy.models import Theme

    folders = ensure_folders(ctx, "news", OrganisationNewsPage, "news_page")
    themes = {(t.slug, t.locale_id): t for t in Theme.objects.all()}
    now = timezone.now()
    for seed, (folder_slug, slug, days_ago, theme_slugs, fr, en) in enumerate(ARTICLES):
        folder = folders[folder_slug]
        title, lead, body = fr
        existing = folder.get_children().filter(slug=slug).exists()
        cover = demo_image(
            title,
            f"Illustration : collines des Baronnies pour l'article « {title} »",
            seed=20 + seed,
        )
        article = ensure_child(
            folder,
            ArticlePage,
            slug,
            title=title,
            lead=lead,
            body=body,
            cover_image=cover,
            search_description=lead,
            themes=[themes[(s, ctx.fr.pk)] for s in theme_slugs],
        )
        published = now - timedelta(days=days_ago)
        if not existing:
            ArticlePage.objects.filter(pk=article.pk).update(first_published_at=published)
        ctx.pages[f"article:{slug}"] = article
        if en is not None:
            en_title, en_lead, en_body = en
            translated = ensure_translation(
                article,
                ctx.en,
                title=en_title,
                lead=en_lead,
                body=en_body,
                search_description=en_lead,
                themes=[themes[(s, ctx.en.pk)] for s in theme_slugs],
            )
            if not existing:
                ArticlePage.objects.filter(pk=translated.pk).update(first_published_at=published)
    ctx.log(f"Actualités : {len(folders)} rubriques, {len(ARTICLES)} articles.")
