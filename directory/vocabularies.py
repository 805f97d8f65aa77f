"""The starting kinds and services of the directory (French, English), installed by a data
migration so that every install has them; staff then edit and translate them in the admin.

Services carry the matching value of the national schéma des lieux de médiation numérique
(data/schemas/mediation-numerique-schema-v1.0.1.json, field ``services``) when one fits.
"""

# slug, French name, English name
ACTOR_KINDS = [
    ("mediation-numerique", "Médiation numérique", "Digital inclusion"),
    ("culture", "Culture", "Culture"),
    ("collectivite", "Collectivité / EPCI / Pays", "Local authority / inter-municipality / Pays"),
    ("espace-rural-numerique", "Espace rural numérique", "Rural digital space"),
    ("association", "Association", "Association"),
    ("elu", "Élu·e", "Elected official"),
    ("entreprise-sociale", "Entreprise sociale", "Social enterprise"),
    ("porteur-de-projet", "Porteur de projet", "Project holder"),
]

PLACE_KINDS = [
    ("coworking", "Coworking", "Coworking space"),
    ("fab-lab", "Fab lab", "Fab lab"),
    ("espace-public-numerique", "Espace public numérique", "Public digital space"),
    ("recyclerie", "Recyclerie / ressourcerie", "Reuse and repair centre"),
    ("atelier-partage", "Atelier partagé", "Shared workshop"),
    ("cafe-associatif", "Café associatif", "Community café"),
    ("salle-de-reunion", "Salle de réunion", "Meeting room"),
    ("tiers-lieu", "Tiers-lieu", "Third place"),
]

# slug, French name, English name, médiation numérique schema value ("" if none fits)
SERVICES = [
    ("bureaux", "Bureaux partagés", "Shared desks", ""),
    (
        "internet-haut-debit",
        "Internet à haut débit",
        "High-speed internet",
        "Accès internet et matériel informatique",
    ),
    (
        "poste-informatique",
        "Ordinateurs en libre accès",
        "Public computers",
        "Accès internet et matériel informatique",
    ),
    ("salle-de-reunion", "Salle de réunion", "Meeting room", ""),
    ("visioconference", "Visioconférence", "Videoconferencing", ""),
    ("impression-3d", "Imprimante 3D", "3D printer", "Loisirs et créations numériques"),
    ("decoupe-laser", "Découpeuse laser", "Laser cutter", "Loisirs et créations numériques"),
    (
        "aide-demarches",
        "Aide aux démarches en ligne",
        "Help with online paperwork",
        "Aide aux démarches administratives",
    ),
    (
        "initiation-numerique",
        "Ateliers d'initiation au numérique",
        "Beginners' digital workshops",
        "Maîtrise des outils numériques du quotidien",
    ),
    (
        "securite-numerique",
        "Sécurité en ligne",
        "Staying safe online",
        "Utilisation sécurisée du numérique",
    ),
    (
        "emploi-numerique",
        "Accompagnement vers l'emploi",
        "Help finding work",
        "Insertion professionnelle via le numérique",
    ),
    (
        "materiel-reconditionne",
        "Matériel informatique reconditionné",
        "Refurbished computers",
        "Acquisition de matériel informatique à prix solidaire",
    ),
    ("domiciliation", "Domiciliation d'entreprise", "Business address", ""),
    ("reparation", "Atelier de réparation", "Repair workshop", ""),
]


def install(apps):
    """Create what is missing (by slug and locale); never change what staff edited."""
    import uuid

    Locale = apps.get_model("wagtailcore", "Locale")
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    fr, en = locales.get("fr"), locales.get("en")
    if fr is None:
        return
    lists = [
        ("ActorKind", [(s, f, e, {}) for s, f, e in ACTOR_KINDS]),
        ("PlaceKind", [(s, f, e, {}) for s, f, e in PLACE_KINDS]),
        ("Service", [(s, f, e, {"mediation_numerique": m}) for s, f, e, m in SERVICES]),
    ]
    for model_name, rows in lists:
        model = apps.get_model("directory", model_name)
        for order, (slug, fr_name, en_name, extra) in enumerate(rows):
            original = model.objects.filter(slug=slug, locale=fr).first()
            if original is None:
                original = model.objects.create(
                    slug=slug,
                    locale=fr,
                    name=fr_name,
                    sort_order=order,
                    translation_key=uuid.uuid4(),
                    **extra,
                )
            if (
                en is not None
                and not model.objects.filter(
                    translation_key=original.translation_key, locale=en
                ).exists()
            ):
                model.objects.create(
                    slug=slug,
                    locale=en,
                    name=en_name,
                    sort_order=order,
                    translation_key=original.translation_key,
                    **extra,
                )
