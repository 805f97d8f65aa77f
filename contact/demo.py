"""Demo content: the "Rejoindre le réseau" and "Nous contacter" forms, in French and English,
and the home page's call to action pointing to the first one."""

from wagtail.models import Site

from core.demo import ensure_child, ensure_translation
from core.models import SiteSettings

JOIN_FIELDS_FR = [
    ("Nom et prénom", "singleline", True, ""),
    ("Courriel", "email", True, ""),
    (
        "Structure",
        "singleline",
        False,
        "Association, entreprise, collectivité… Laissez vide si vous venez à titre personnel.",
    ),
    ("Commune", "singleline", True, ""),
    ("Thèmes qui vous intéressent", "checkboxes", False, ""),
    ("Ce que vous aimeriez apporter au réseau", "multiline", True, ""),
]
JOIN_FIELDS_EN = [
    ("Full name", "singleline", True, ""),
    ("Email", "email", True, ""),
    (
        "Organisation",
        "singleline",
        False,
        "Association, business, local authority… Leave empty if you join as a person.",
    ),
    ("Town", "singleline", True, ""),
    ("Themes you are interested in", "checkboxes", False, ""),
    ("What you would like to bring to the network", "multiline", True, ""),
]
THEME_CHOICES = {
    "fr": "Développement économique\nServices au public\nPratiques collaboratives\nCulture numérique",
    "en": "Economic development\nPublic services\nCollaborative practices\nDigital culture",
}
CONTACT_FIELDS_FR = [
    ("Nom", "singleline", True, ""),
    ("Courriel", "email", True, ""),
    ("Objet", "singleline", True, ""),
    ("Message", "multiline", True, ""),
]
CONTACT_FIELDS_EN = [
    ("Name", "singleline", True, ""),
    ("Email", "email", True, ""),
    ("Subject", "singleline", True, ""),
    ("Message", "multiline", True, ""),
]


def _fields(spec, lang):
    from contact.models import FormField

    fields = []
    for order, (label, field_type, required, help_text) in enumerate(spec):
        fields.append(
            FormField(
                sort_order=order,
                label=label,
                field_type=field_type,
                required=required,
                help_text=help_text,
                choices=THEME_CHOICES[lang] if field_type == "checkboxes" else "",
            )
        )
    return fields


def _translate_fields(page_en, spec):
    """Give the English copy English labels (the copy keeps the French ones)."""
    for field, (label, _type, _required, help_text) in zip(
        page_en.form_fields.order_by("sort_order"), spec, strict=False
    ):
        field.label = label
        field.help_text = help_text
        if field.field_type == "checkboxes":
            field.choices = THEME_CHOICES["en"]
        field.save()


def build(ctx):
    from contact.models import FormPage

    site = Site.objects.get(is_default_site=True)
    staff_email = SiteSettings.for_site(site).email or "innover@baronnies-provencales.example"
    home, home_en = ctx.pages["home"], ctx.pages["home_en"]
    privacy = ctx.pages.get("donnees-personnelles")
    privacy_en = ctx.pages.get("donnees-personnelles_en")
    made = {}
    for key, slug, fr_title, fr_intro, en_title, en_intro, fr_spec, en_spec, subject in (
        (
            "join",
            "rejoindre-le-reseau",
            "Rejoindre le réseau",
            "<p>Le réseau est ouvert à toute personne ou structure qui veut contribuer aux tiers-lieux et aux "
            "nouvelles façons de travailler dans les Baronnies provençales. Présentez-vous : l'équipe du Parc "
            "vous répond et vous invite à la prochaine rencontre.</p>",
            "Join the network",
            "<p>The network is open to anyone, person or organisation, who wants to contribute to third places "
            "and new ways of working in the Baronnies provençales. Introduce yourself: the Park's staff will "
            "reply and invite you to the next meeting.</p>",
            JOIN_FIELDS_FR,
            JOIN_FIELDS_EN,
            "Demande d'adhésion au réseau",
        ),
        (
            "contact",
            "nous-contacter",
            "Nous contacter",
            "<p>Une question, une idée de projet, une information à partager ? Écrivez-nous.</p>",
            "Contact us",
            "<p>A question, a project idea, news to share? Write to us.</p>",
            CONTACT_FIELDS_FR,
            CONTACT_FIELDS_EN,
            "Message depuis le site",
        ),
    ):
        page = home.get_children().filter(slug=slug).first()
        if page is None:
            page = ensure_child(
                home,
                FormPage,
                slug,
                title=fr_title,
                intro=fr_intro,
                to_address=staff_email,
                subject=subject,
                privacy_page=privacy,
                form_fields=_fields(fr_spec, "fr"),
                thank_you_text="<p>Merci ! Votre message est bien arrivé ; nous vous répondons rapidement.</p>",
                consent_text="J'accepte que ces informations servent à traiter ma demande. "
                "Elles sont effacées au bout d'un an.",
            )
        page = page.specific
        translation = page.get_translation_or_none(ctx.en)
        page_en = ensure_translation(
            page,
            ctx.en,
            title=en_title,
            intro=en_intro,
            privacy_page=privacy_en,
            thank_you_text="<p>Thank you! Your message has arrived; we will reply shortly.</p>",
            consent_text="I agree that this information is used to handle my request. It is deleted after one year.",
        )
        if translation is None:
            _translate_fields(page_en, en_spec)
        made[key], made[f"{key}_en"] = page, page_en
        ctx.pages[f"form-{key}"], ctx.pages[f"form-{key}_en"] = page, page_en

    from home.models import HomePage

    for home_page, join, lang in ((home, made["join"], "fr"), (home_en, made["join_en"], "en")):
        home_page = HomePage.objects.get(
            pk=home_page.pk
        )  # fresh: the tree has grown since ctx kept it
        if home_page.join_page_id is None:
            home_page.join_page = join
            if lang == "fr":
                home_page.join_text = (
                    "Association, entreprise, collectivité, élu ou habitant avec un projet : le réseau se réunit "
                    "chaque mois et accueille toute personne qui veut y contribuer."
                )
            else:
                home_page.join_title = "Join the network"
                home_page.join_button = "Ask to join the network"
                home_page.join_text = (
                    "Association, business, local authority, elected official or resident with a project: the "
                    "network meets every month and welcomes anyone who wants to contribute."
                )
            home_page.save_revision().publish()
    ctx.log("Formulaires : rejoindre le réseau, nous contacter (FR, EN).")
