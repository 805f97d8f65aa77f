"""Demo content: the four thematic dossiers, in French with their English translations.

Facts come from the network's founding document (four themes, about thirty actors, a
territory across two departments and two regions); the wording is ours.
"""

from core.demo import ensure_child, ensure_translation

PICTOGRAMS = {
    "developpement-economique": "economie",
    "services-au-public": "services",
    "pratiques-collaboratives": "collaboration",
    "culture-numerique": "numerique",
}

COMMON_FIGURES_FR = [
    {
        "value": "30",
        "label": "acteurs environ dans le réseau",
        "source": "Réseau, document fondateur",
    },
    {"value": "2", "label": "départements : Drôme et Hautes-Alpes", "source": ""},
    {"value": "4", "label": "thèmes de travail", "source": ""},
]
COMMON_FIGURES_EN = [
    {
        "value": "30",
        "label": "players or so in the network",
        "source": "Network, founding document",
    },
    {"value": "2", "label": "departments: Drôme and Hautes-Alpes", "source": ""},
    {"value": "4", "label": "working themes", "source": ""},
]

DOSSIERS = [
    # theme slug, FR slug, FR title, FR intro, FR section (heading, text), FR FAQ (q, a),
    # EN slug, EN title, EN intro, EN section, EN FAQ
    (
        "developpement-economique",
        "developpement-economique",
        "Développement économique",
        "<p>Faire vivre l'activité au pays : des lieux pour entreprendre, coopérer et accueillir de "
        "nouveaux actifs, dans un territoire rural à cheval sur deux régions.</p>",
        (
            "Travailler ici",
            "<p>Le télétravail et la pluriactivité permettent de s'installer dans les "
            "Baronnies sans renoncer à son métier. Les tiers-lieux offrent un bureau, une connexion et des "
            "voisins de travail.</p>",
        ),
        (
            "Un tiers-lieu, c'est quoi ?",
            "<p>Un lieu partagé, entre la maison et le bureau : coworking, "
            "atelier, fab lab, souvent tout à la fois.</p>",
        ),
        "economic-development",
        "Economic development",
        "<p>Keeping work alive locally: places to start a business, cooperate and welcome newcomers, in a "
        "rural territory straddling two regions.</p>",
        (
            "Working here",
            "<p>Teleworking and holding several activities let people settle in the Baronnies "
            "and keep their trade. Third places offer a desk, a connection and colleagues.</p>",
        ),
        (
            "What is a third place?",
            "<p>A shared place between home and office: coworking, workshop, fab "
            "lab, often all at once.</p>",
        ),
    ),
    (
        "services-au-public",
        "services-au-public",
        "Services au public",
        "<p>Rendre les services et les démarches en ligne accessibles à toutes et tous, près de chez soi, "
        "avec l'aide des médiateurs numériques du territoire.</p>",
        (
            "Être accompagné",
            "<p>Des associations de médiation numérique tiennent des permanences et des "
            "ateliers pour aider chacun dans ses démarches.</p>",
        ),
        (
            "Où trouver de l'aide pour une démarche en ligne ?",
            "<p>Consultez l'annuaire : les lieux de "
            "médiation numérique y indiquent leurs horaires.</p>",
        ),
        "public-services",
        "Public services",
        "<p>Making online services and paperwork reachable for everyone, close to home, with the help of "
        "the territory's digital mediators.</p>",
        (
            "Getting help",
            "<p>Digital-inclusion associations hold drop-in sessions and workshops to help "
            "people with their paperwork.</p>",
        ),
        (
            "Where can I get help with an online procedure?",
            "<p>See the directory: digital-mediation places list their opening hours there.</p>",
        ),
    ),
    (
        "pratiques-collaboratives",
        "pratiques-collaboratives",
        "Pratiques collaboratives",
        "<p>Partager des lieux, des outils et des savoirs : le réseau se réunit chaque mois et fait naître "
        "des projets collectifs.</p>",
        (
            "Coopérer entre acteurs",
            "<p>Associations, collectivités, élus et entrepreneurs sociaux "
            "travaillent ensemble, par exemple lors de rencontres publiques organisées avec les habitants.</p>",
        ),
        (
            "Comment proposer un projet collectif ?",
            "<p>Venez à une rencontre du réseau ou écrivez-nous par le formulaire de contact.</p>",
        ),
        "collaborative-practices",
        "Collaborative practices",
        "<p>Sharing places, tools and know-how: the network meets every month and gives rise to "
        "collective projects.</p>",
        (
            "Cooperating",
            "<p>Associations, local authorities, elected officials and social entrepreneurs "
            "work together, for instance at public meetings held with residents.</p>",
        ),
        (
            "How can I suggest a collective project?",
            "<p>Come to a network meeting or write to us through the contact form.</p>",
        ),
    ),
    (
        "culture-numerique",
        "culture-numerique",
        "Culture numérique",
        "<p>Comprendre et s'approprier le numérique, par la médiation, la création et la culture, là où "
        "transition numérique et transition énergétique se rejoignent.</p>",
        (
            "Apprendre ensemble",
            "<p>Ateliers, rencontres et lieux culturels font découvrir les outils "
            "numériques et leurs enjeux.</p>",
        ),
        (
            "Faut-il être à l'aise avec l'informatique ?",
            "<p>Non : les ateliers sont ouverts aux débutants.</p>",
        ),
        "digital-culture",
        "Digital culture",
        "<p>Understanding and owning digital tools, through mediation, creation and culture, where the "
        "digital and the energy transitions meet.</p>",
        (
            "Learning together",
            "<p>Workshops, meetings and cultural venues introduce digital tools and "
            "what is at stake with them.</p>",
        ),
        ("Do I need to be good with computers?", "<p>No: the workshops welcome beginners.</p>"),
    ),
]


def _body(figures, section, faq, figures_heading, faq_heading, contacts, contacts_heading):
    body = [
        ("section", {"heading": section[0], "text": section[1]}),
        ("key_figures", {"heading": figures_heading, "figures": figures}),
        ("faq", {"heading": faq_heading, "questions": [{"question": faq[0], "answer": faq[1]}]}),
    ]
    if contacts:
        body.append(("contacts", {"heading": contacts_heading, "entries": contacts}))
    return body


def _contacts(theme, locale):
    from directory.models import ActorPage

    return list(
        ActorPage.objects.live()
        .filter(locale=locale, themes__translation_key=theme.translation_key)
        .distinct()
        .order_by("title")[:3]
    )


def build(ctx):
    from dossiers.models import DossierPage
    from taxonomy.models import Theme

    for slug, pictogram in PICTOGRAMS.items():
        Theme.objects.filter(slug=slug, pictogram="").update(pictogram=pictogram)

    index = ctx.pages["dossiers"]
    for (
        theme_slug,
        fr_slug,
        fr_title,
        fr_intro,
        fr_section,
        fr_faq,
        en_slug,
        en_title,
        en_intro,
        en_section,
        en_faq,
    ) in DOSSIERS:
        theme = Theme.objects.get(slug=theme_slug, locale=ctx.fr)
        theme_en = Theme.objects.filter(slug=theme_slug, locale=ctx.en).first() or theme
        page = ensure_child(
            index,
            DossierPage,
            fr_slug,
            title=fr_title,
            theme=theme,
            introduction=fr_intro,
            search_description=theme.description,
            body=_body(
                COMMON_FIGURES_FR,
                fr_section,
                fr_faq,
                "Chiffres clés",
                "Questions fréquentes",
                _contacts(theme, ctx.fr),
                "Contacts",
            ),
        )
        ctx.pages[f"dossier-{theme_slug}"] = page
        ctx.pages[f"dossier-{theme_slug}_en"] = ensure_translation(
            page,
            ctx.en,
            title=en_title,
            slug=en_slug,
            theme=theme_en,
            introduction=en_intro,
            search_description=theme_en.description,
            body=_body(
                COMMON_FIGURES_EN,
                en_section,
                en_faq,
                "Key figures",
                "Frequently asked questions",
                _contacts(theme, ctx.en),
                "Contacts",
            ),
        )
    ctx.log("Dossiers : quatre thèmes, en français et en anglais.")
