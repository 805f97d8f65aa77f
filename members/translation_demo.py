"""Demo: members translate their own articles, through the same moderation (docs/editorial.md).

- La Cigale's "Retour sur les Rencontres Solidaires": translated by ``cigale``, approved by
  ``parc``: live and current in English;
- ASOFT's "Des permanences numériques près de chez vous": translated by ``asoft``, approved,
  then the French article changed: the English page is out of date (report, notice);
- ASOFT's "Un café numérique chaque mois": translated by ``asoft``, waiting for moderation.

Run by members.demo after its articles exist; does nothing for an article already translated.
"""

from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation

from .translation_access import is_translation_staff
from .translation_views import ModeratedTranslationCreator, submit_translation_for_moderation

# French segment -> English, per article slug
TRANSLATIONS = {
    "moderation-retour-rencontres-solidaires": {
        "Retour sur les Rencontres Solidaires": "Looking back at the Rencontres Solidaires",
        "moderation-retour-rencontres-solidaires": "looking-back-rencontres-solidaires",
        "Deux journées à Nyons pour parler coopération économique et tiers-lieux, avec les acteurs du réseau.": (
            "Two days in Nyons to talk about economic cooperation and third places with the network's members."
        ),
        "Les 23 et 24 octobre, La Cigale de Nyons a accueilli les Rencontres Solidaires. Deux ateliers ont "
        "réuni des membres du réseau autour des pôles territoriaux de coopération économique et des tiers-lieux.": (
            "On 23 and 24 October, La Cigale de Nyons hosted the Rencontres Solidaires. Two workshops brought "
            "members of the network together around local economic cooperation hubs and third places."
        ),
    },
    "moderation-permanences-numeriques": {
        "Des permanences numériques près de chez vous": "Digital help sessions near you",
        "moderation-permanences-numeriques": "digital-help-sessions",
        "Chaque semaine, ASOFT accompagne les habitants dans leurs démarches en ligne, sans rendez-vous.": (
            "Every week, ASOFT helps residents with their online paperwork, no appointment needed."
        ),
        "Créer une adresse électronique, déclarer ses revenus, prendre rendez-vous chez un médecin : "
        "les médiateurs d'ASOFT aident chacun à avancer à son rythme, dans plusieurs villages des Baronnies.": (
            "Creating an e-mail address, filing a tax return, booking a doctor's appointment: ASOFT's digital "
            "mediators help everyone move forward at their own pace, in several villages of the Baronnies."
        ),
    },
    "moderation-cafe-numerique": {
        "Un café numérique chaque mois": "A digital café every month",
        "moderation-cafe-numerique": "digital-cafe",
        "Un moment convivial pour poser ses questions sur l'ordinateur, la tablette ou le téléphone.": (
            "A friendly moment to ask your questions about computers, tablets or phones."
        ),
        "<p>Le premier mardi du mois, autour d'un café, les médiateurs d'ASOFT répondent à vos questions.</p>": (
            "<p>On the first Tuesday of the month, over a coffee, ASOFT's mediators answer your questions.</p>"
        ),
    },
}
CAFE = (
    "moderation-cafe-numerique",
    "Un café numérique chaque mois",
    "Un moment convivial pour poser ses questions sur l'ordinateur, la tablette ou le téléphone.",
    "<p>Le premier mardi du mois, autour d'un café, les médiateurs d'ASOFT répondent à vos questions.</p>",
)
OUTDATED_LEAD = (
    "Chaque semaine, ASOFT accompagne les habitants dans leurs démarches en ligne, sans rendez-vous, "
    "désormais aussi à Séderon."
)


def translate_as(page, user, strings):
    """Start the English translation of ``page`` as ``user`` and fill the segments it knows."""
    en = Locale.objects.get(language_code="en")
    creator = ModeratedTranslationCreator(user, [en], staff=is_translation_staff(user))
    creator.create_translations(page)
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale=en)
    for segment in translation.source.stringsegment_set.select_related("string", "context"):
        english = strings.get(segment.string.data)
        if english:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=en,
                context=segment.context,
                defaults={"data": english, "last_translated_by": user},
            )
    return translation


def approve(page, moderator):
    from .translation_views import moderation_state

    state = moderation_state(page)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve", comment="")


def build(ctx, organisations, users):
    from news.models import ArticlePage

    from .demo import build_article

    en = Locale.objects.get(language_code="en")
    asoft_news = organisations["ASOFT"].news_page
    slug, title, lead, paragraph = CAFE
    build_article(
        asoft_news,
        "live",
        users["asoft"],
        users["parc"],
        slug=slug,
        title=title,
        lead=lead,
        body=[("paragraph", paragraph)],
    )
    plan = [
        ("moderation-retour-rencontres-solidaires", "cigale", "live"),
        ("moderation-permanences-numeriques", "asoft", "outdated"),
        ("moderation-cafe-numerique", "asoft", "waiting"),
    ]
    for slug, author, state in plan:
        page = ArticlePage.objects.filter(slug=slug, locale__language_code="fr").first()
        if page is None or page.get_translation_or_none(en) is not None:
            continue
        translation = translate_as(page, users[author], TRANSLATIONS[slug])
        submit_translation_for_moderation(translation, users[author])
        if state == "waiting":
            continue
        approve(translation.get_target_instance(), users["parc"])
        if state == "outdated":
            page.refresh_from_db()
            page.lead = OUTDATED_LEAD
            page.save_revision(user=users[author]).publish(user=users["parc"])
    ctx.log("Traductions par les membres : une en ligne, une en modération, une à mettre à jour.")
