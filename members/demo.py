"""Demo: onboard the five member organisations, place the demo accounts, and add articles in
every moderation state (waiting, rejected with a comment, scheduled, live).

Runs after core.demo (sections, accounts) and, when present, after directory.demo (whose
ActorPages are reused). Without it, onboarding creates a draft ActorPage stub.
Article slugs start with ``moderation-`` so they never clash with the editorial demo.
"""

import contextlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test.utils import override_settings
from django.utils import timezone

from .onboarding import onboard
from .roles import ensure_park_group

ORGANISATIONS = [
    "ASOFT",
    "La Cigale de Nyons",
    "Aventic",
    "Point Cyb",
    "Recyclerie La Fabrique",
]
# demo account -> organisation name
EDITORS = {"asoft": "ASOFT", "cigale": "La Cigale de Nyons"}

REJECTION_COMMENT = (
    "Merci pour ce texte ! Pouvez-vous préciser la date et le lieu de l'atelier dans le chapô, "
    "et ajouter un lien vers l'inscription ?"
)

# state, organisation, author, slug, title, lead, paragraph
ARTICLES = [
    (
        "live",
        "ASOFT",
        "asoft",
        "moderation-permanences-numeriques",
        "Des permanences numériques près de chez vous",
        "Chaque semaine, ASOFT accompagne les habitants dans leurs démarches en ligne, sans rendez-vous.",
        "<p>Créer une adresse électronique, déclarer ses revenus, prendre rendez-vous chez un médecin : "
        "les médiateurs d'ASOFT aident chacun à avancer à son rythme, dans plusieurs villages des Baronnies.</p>",
    ),
    (
        "live",
        "La Cigale de Nyons",
        "cigale",
        "moderation-retour-rencontres-solidaires",
        "Retour sur les Rencontres Solidaires",
        "Deux journées à Nyons pour parler coopération économique et tiers-lieux, avec les acteurs du réseau.",
        "<p>Les 23 et 24 octobre, La Cigale de Nyons a accueilli les Rencontres Solidaires. Deux ateliers ont "
        "réuni des membres du réseau autour des pôles territoriaux de coopération économique et des tiers-lieux.</p>",
    ),
    (
        "waiting",
        "ASOFT",
        "asoft",
        "moderation-atelier-smartphone",
        "Atelier : bien démarrer avec son smartphone",
        "Un atelier en petit groupe pour apprivoiser son téléphone et ses applications utiles.",
        "<p>ASOFT propose un atelier d'initiation : réglages, sécurité, applications de la vie quotidienne. "
        "Ouvert à toutes et tous, débutants bienvenus.</p>",
    ),
    (
        "rejected",
        "La Cigale de Nyons",
        "cigale",
        "moderation-atelier-tiers-lieux",
        "Un atelier pour imaginer un tiers-lieu",
        "La Cigale invite les habitants à rêver ensemble un lieu partagé.",
        "<p>Quels besoins, quels usages, quels partenaires ? Un atelier ouvert pour poser les premières pierres "
        "d'un tiers-lieu culturel.</p>",
    ),
    (
        "scheduled",
        "ASOFT",
        "asoft",
        "moderation-bilan-annuel",
        "Une année de médiation numérique",
        "Le bilan de l'année écoulée : des centaines d'accompagnements et de nouveaux lieux d'accueil.",
        "<p>Ce bilan sera publié automatiquement à la date prévue, une fois validé par l'équipe du Parc.</p>",
    ),
]


@contextlib.contextmanager
def quiet_mail():
    """The demo submits and rejects pages: do not print their notification e-mails."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def build(ctx):
    User = get_user_model()
    park = ensure_park_group()
    organisations = {name: onboard(name) for name in ORGANISATIONS}

    users = {}
    for username in ("parc", *EDITORS):
        users[username] = ctx.users.get(username) or User.objects.get(username=username)
    users["parc"].groups.add(park)
    for username, org_name in EDITORS.items():
        users[username].groups.add(organisations[org_name].group)

    with quiet_mail():
        for state, org_name, author, slug, title, lead, paragraph in ARTICLES:
            build_article(
                organisations[org_name].news_page,
                state,
                users[author],
                users["parc"],
                slug=slug,
                title=title,
                lead=lead,
                body=[("paragraph", paragraph)],
            )
        from . import translation_demo

        translation_demo.build(ctx, organisations, users)
    ctx.log("Organisations membres : intégration, rédactions et articles en modération.")


def build_article(folder, state, author, moderator, **fields):
    from news.models import ArticlePage

    if folder.get_children().filter(slug=fields["slug"]).exists():
        return
    page = ArticlePage(owner=author, live=False, **fields)
    if state == "scheduled":
        page.go_live_at = timezone.now() + timedelta(days=30)
    folder.add_child(instance=page)
    revision = page.save_revision(user=author)
    if state == "live":
        revision.publish(user=moderator)
    elif state == "scheduled":
        revision.publish(user=moderator)  # go_live_at in the future: scheduled, not live
    elif state in {"waiting", "rejected"}:
        workflow_state = page.get_workflow().start(page, author)
        if state == "rejected":
            task_state = workflow_state.current_task_state
            task_state.task.specific.on_action(
                task_state, moderator, "reject", comment=REJECTION_COMMENT
            )
    return page
