"""Demo content for the site's frame: accounts, images, taxonomy, home, sections, pages, menus.

Facts come from the network's founding document; the wording is ours. Other apps add
their own ``demo.build(ctx)`` step (see core/management/commands/load_demo.py).
Every helper here looks for what exists before creating, so a second run changes nothing.
"""

import io
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.models import Collection, Locale, Page, Site

from core.models import Menu, MenuItem, Partner, SiteSettings
from images.models import CustomImage

DEMO_PASSWORD = "demo-baronnies"  # noqa: S105 - local demo accounts only


@dataclass
class DemoContext:
    stdout: object = None
    pages: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(f"  {message}")

    @property
    def fr(self):
        return Locale.objects.get(language_code="fr")

    @property
    def en(self):
        return Locale.objects.get(language_code="en")


def site_is_empty():
    from home.models import HomePage

    return not HomePage.objects.exists()


# --- helpers shared by every app's demo step -----------------------------------


def ensure_child(parent, model, slug, **fields):
    """Return the live child page of ``parent`` with this slug, creating and publishing it."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_translation(page, locale, relations=None, **fields):
    """Return the live translation of ``page`` in ``locale``, creating it with ``fields`` (and
    ``relations(translation)``, called before it is saved, when given)."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    if relations is not None:
        relations(translated)
    translated.save_revision().publish()
    return translated.specific


def ensure_snippet_translation(obj, locale, **fields):
    existing = obj.get_translation_or_none(locale)
    if existing is not None:
        return existing
    translated = obj.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save()
    return translated


PALETTE = [
    ((243, 227, 195), (61, 90, 30)),
    ((232, 226, 242), (91, 74, 139)),
    ((226, 236, 214), (43, 65, 20)),
    ((247, 220, 200), (140, 70, 30)),
]


def demo_image(
    title,
    alt,
    credit="Illustration générée pour la démonstration",
    seed=0,
    collection=None,
    size=(1200, 800),
):
    """A landscape drawn with Pillow (hills, sun), stored once under this title."""
    existing = CustomImage.objects.filter(title=title).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)  # noqa: S311 - decoration only
    sky, hill = PALETTE[seed % len(PALETTE)]
    width, height = size
    img = PILImage.new("RGB", size, sky)
    draw = ImageDraw.Draw(img)
    draw.ellipse(
        [width * 0.7, height * 0.1, width * 0.7 + 120, height * 0.1 + 120], fill=(250, 204, 102)
    )
    for layer in range(3):
        shade = tuple(max(0, c - 25 * layer) for c in hill)
        base = height * (0.55 + 0.13 * layer)
        points = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base - rng.randint(0, int(height * 0.2))))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=80)
    image = CustomImage(
        title=title,
        description=alt,
        credit=credit,
        collection=collection or Collection.get_first_root_node(),
    )
    image.file = ImageFile(buffer, name=f"demo-{seed}.jpg")
    image.save()
    return image


# --- accounts ----------------------------------------------------------------------


def ensure_user(username, *, email, first_name="", last_name="", superuser=False, groups=()):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": email, "first_name": first_name, "last_name": last_name},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = superuser
        user.is_superuser = superuser
        user.save()
    for group in groups:
        user.groups.add(group)
    return user


def admin_access_group(name):
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


# --- content -------------------------------------------------------------------------

ABOUT_BODY_FR = [
    ("heading", {"text": "Un collectif né sur le territoire", "level": "h2"}),
    (
        "paragraph",
        "<p>Depuis septembre, une trentaine d'acteurs des Baronnies provençales se retrouvent chaque mois "
        "pour faire avancer ensemble les tiers-lieux et les nouvelles façons de travailler : associations "
        "de médiation numérique (ASOFT, Aventic, Point Cyb), lieu culturel (La Cigale de Nyons), chargés de "
        "mission des Pays et des intercommunalités, élus, entrepreneurs sociaux comme la Recyclerie "
        "La Fabrique, et porteurs de projets collectifs.</p>"
        "<p>Le Syndicat mixte qui gère le Parc naturel régional anime ce réseau, ouvert à toute personne "
        "ou structure qui veut y contribuer.</p>",
    ),
    ("heading", {"text": "Quatre portes d'entrée", "level": "h2"}),
    (
        "paragraph",
        "<ul><li>le développement économique ;</li><li>les services au public ;</li>"
        "<li>les pratiques collaboratives ;</li><li>la culture numérique.</li></ul>"
        "<p>Ces thèmes dépassent les seules technologies : ils touchent le tourisme, l'artisanat, "
        "l'éducation, la culture, l'agriculture ou l'énergie, là où transition numérique et transition "
        "énergétique se rejoignent.</p>",
    ),
    (
        "quote",
        {
            "quote": "Accueillir de nouveaux actifs en facilitant la pluriactivité, le télétravail et les services en ligne.",
            "author": "Un objectif de la Charte du Parc",
        },
    ),
]

ABOUT_BODY_EN = [
    ("heading", {"text": "A network born in the territory", "level": "h2"}),
    (
        "paragraph",
        "<p>Since September, about thirty local players in the Baronnies provençales have met every month "
        "to develop third places and new ways of working together: digital-inclusion associations (ASOFT, "
        "Aventic, Point Cyb), a cultural venue (La Cigale in Nyons), staff of the Pays and inter-municipal "
        "bodies, elected officials, social entrepreneurs such as the Recyclerie La Fabrique, and people "
        "with collective projects.</p>"
        "<p>The joint body that manages the Regional Natural Park runs the network, which is open to "
        "anyone who wants to contribute.</p>",
    ),
    ("heading", {"text": "Four ways in", "level": "h2"}),
    (
        "paragraph",
        "<ul><li>economic development;</li><li>public services;</li><li>collaborative practices;</li>"
        "<li>digital culture.</li></ul>"
        "<p>These themes reach far beyond technology: tourism, crafts, education, culture, farming and "
        "energy, where the digital and the energy transitions meet.</p>",
    ),
    (
        "quote",
        {
            "quote": "Welcome new workers by making multiple activities, teleworking and online services easier.",
            "author": "A goal of the Park's Charter",
        },
    ),
]

THEMES = [
    (
        "developpement-economique",
        "Développement économique",
        "Economic development",
        "#8c461e",
        "Créer de l'activité au pays : entreprendre, coopérer, accueillir de nouveaux actifs.",
        "Creating activity locally: starting up, cooperating, welcoming new workers.",
    ),
    (
        "services-au-public",
        "Services au public",
        "Public services",
        "#1f5f7a",
        "Rendre les démarches et les services accessibles à toutes et tous, près de chez soi.",
        "Making services and paperwork reachable for everyone, close to home.",
    ),
    (
        "pratiques-collaboratives",
        "Pratiques collaboratives",
        "Collaborative practices",
        "#5b4a8b",
        "Partager des lieux, des outils et des savoirs : coworking, fab labs, ateliers.",
        "Sharing places, tools and know-how: coworking, fab labs, workshops.",
    ),
    (
        "culture-numerique",
        "Culture numérique",
        "Digital culture",
        "#3d5a1e",
        "Comprendre et s'approprier le numérique, avec la médiation et la création.",
        "Understanding and owning digital tools, through mediation and creation.",
    ),
]

SECTORS = [
    ("tourisme", "Tourisme", "Tourism"),
    ("artisanat", "Artisanat", "Crafts"),
    ("education", "Éducation", "Education"),
    ("culture", "Culture", "Culture"),
    ("agriculture", "Agriculture", "Farming"),
    ("energie", "Énergie", "Energy"),
    ("numerique", "Numérique", "Digital"),
]

STANDARD_PAGES = [
    # slug, FR title, FR intro, EN title, EN intro
    (
        "le-reseau",
        "Le réseau",
        "<p>Qui nous sommes, ce qui nous rassemble et comment nous rejoindre.</p>",
        "The network",
        "<p>Who we are, what brings us together and how to join us.</p>",
    ),
    (
        "mentions-legales",
        "Mentions légales",
        "<p>Éditeur : Syndicat mixte des Baronnies provençales, qui gère le Parc naturel régional. "
        "Les contenus des organisations membres sont publiés sous leur responsabilité, après relecture par l'équipe du Parc.</p>",
        "Legal notice",
        "<p>Publisher: the joint body of the Baronnies provençales, which manages the Regional Natural Park. "
        "Member organisations publish under their own responsibility, after review by the Park's staff.</p>",
    ),
    (
        "accessibilite",
        "Accessibilité",
        "<p>Le site vise la conformité au RGAA. Cette page présente l'état de conformité, les tests menés "
        "et la façon de nous signaler une difficulté.</p>"
        "<p>Tests automatiques, refaits à chaque modification du site : le moteur axe-core est lancé dans le "
        "navigateur Chromium sur une page de chaque type (accueil, page simple, rubriques, annuaire, "
        "actualités, agenda, dossiers, recherche avec et sans résultat, page d'erreur), en français et en "
        "anglais ; aucune erreur grave ou critique n'est tolérée. Chacune de ces pages passe aussi le "
        "validateur HTML du W3C (Nu HTML Checker) sans erreur.</p>"
        "<p>Un parcours au clavier seul est vérifié : lien d'évitement, champ de recherche, ouverture d'un "
        "résultat, avec un focus toujours visible. Ces tests automatiques ne couvrent qu'une partie des "
        "critères du RGAA : un audit manuel reste à conduire.</p>",
        "Accessibility",
        "<p>The site aims to comply with the RGAA (France's accessibility standard). This page states how "
        "far it complies, how it was tested and how to report a problem.</p>"
        "<p>Automated tests, run again on every change to the site: the axe-core engine runs in the Chromium "
        "browser on one page of each type (home, standard page, sections, directory, news, agenda, "
        "dossiers, search with and without results, error page), in French and in English; no serious or "
        "critical issue is allowed. Each of these pages also passes the W3C HTML validator (Nu HTML "
        "Checker) with no error.</p>"
        "<p>A keyboard-only journey is checked: skip link, search field, opening a result, with focus always "
        "visible. These automated tests cover only part of the RGAA criteria: a manual audit is still to "
        "be done.</p>",
    ),
    (
        "donnees-personnelles",
        "Données personnelles",
        "<p>Le site ne dépose aucun cookie de mesure d'audience ni de suivi. Les données des formulaires servent "
        "uniquement à vous répondre et sont effacées après un délai fixé.</p>"
        "<h2>Ce que le site compte</h2>"
        "<p>Pour que chaque membre sache si sa page est lue, le site compte, par page et par mois : les vues des "
        "fiches de l'annuaire, des articles et des événements, et les clics sur leurs liens vers un site web, un "
        "numéro de téléphone ou une adresse de courriel. Seul un compteur augmente : aucun cookie, aucune adresse "
        "IP, aucun identifiant, aucune donnée sur votre navigateur n'est enregistré, et aucun service extérieur "
        "n'intervient. Si votre navigateur demande à ne pas être suivi (« Do Not Track » ou « Global Privacy "
        "Control »), rien n'est compté.</p>",
        "Privacy",
        "<p>The site sets no analytics or tracking cookies. Form data is only used to reply to you and is "
        "deleted after a set period.</p>"
        "<h2>What the site counts</h2>"
        "<p>So that each member knows whether its page is read, the site counts, per page and per month: views "
        "of directory entries, articles and events, and clicks on their website, phone and e-mail links. Only a "
        "counter goes up: no cookie, no IP address, no identifier and nothing about your browser is stored, and "
        "no outside service is involved. If your browser asks not to be tracked (Do Not Track or Global Privacy "
        "Control), nothing is counted.</p>",
    ),
]

SECTIONS = [
    # key, app.model, slug, FR title, FR intro, EN title, EN intro
    (
        "directory",
        "directory.DirectoryIndexPage",
        "annuaire",
        "Annuaire",
        "<p>Les acteurs et les tiers-lieux des Baronnies provençales : qui fait quoi, où, et comment les joindre.</p>",
        "Directory",
        "<p>The people, organisations and third places of the Baronnies provençales.</p>",
    ),
    (
        "news",
        "news.NewsIndexPage",
        "actualites",
        "Actualités",
        "<p>Ce que publient les membres du réseau, relu par l'équipe du Parc.</p>",
        "News",
        "<p>What the network's members publish, reviewed by the Park's staff.</p>",
    ),
    (
        "events",
        "events.EventIndexPage",
        "agenda",
        "Agenda",
        "<p>Rencontres, ateliers et permanences sur le territoire.</p>",
        "Events",
        "<p>Meetings, workshops and drop-in sessions across the territory.</p>",
    ),
    (
        "dossiers",
        "dossiers.DossierIndexPage",
        "dossiers",
        "Dossiers",
        "<p>Ce que le réseau sait et partage sur ses quatre thèmes de travail.</p>",
        "Topics",
        "<p>What the network knows and shares on its four working themes.</p>",
    ),
]


def build_taxonomy(ctx):
    from taxonomy.models import Sector, Theme

    for order, (slug, fr_name, en_name, colour, fr_desc, en_desc) in enumerate(THEMES):
        theme, _ = Theme.objects.get_or_create(
            slug=slug,
            locale=ctx.fr,
            defaults={
                "name": fr_name,
                "description": fr_desc,
                "colour": colour,
                "sort_order": order,
            },
        )
        ensure_snippet_translation(theme, ctx.en, name=en_name, description=en_desc)
    for order, (slug, fr_name, en_name) in enumerate(SECTORS):
        sector, _ = Sector.objects.get_or_create(
            slug=slug, locale=ctx.fr, defaults={"name": fr_name, "sort_order": order}
        )
        ensure_snippet_translation(sector, ctx.en, name=en_name)


def build_home(ctx):
    from django.apps import apps

    from home.models import HomePage, StandardPage

    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=ctx.fr).first()
    if home is None:
        # Wagtail's first migration leaves a "Welcome" page as the site root: replace it.
        Page.objects.filter(
            depth=2, content_type__model="page", content_type__app_label="wagtailcore"
        ).delete()
        home = HomePage(
            title="Innover en Baronnies provençales",
            slug="accueil",
            locale=ctx.fr,
            purpose=(
                "Un réseau d'une trentaine d'acteurs qui fait naître des tiers-lieux et de nouvelles façons "
                "de travailler dans les Baronnies provençales. Il informe les habitants, relie les initiatives "
                "et donne envie d'en créer d'autres."
            ),
            social_image=ctx.images["home"],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.root_page = home
    site.hostname = "localhost"
    site.port = 80
    site.site_name = "Innover en Baronnies provençales"
    site.save()
    ctx.pages["home"] = home
    ctx.pages["home_en"] = ensure_translation(
        home,
        ctx.en,
        title="Innovating in the Baronnies provençales",
        slug="home",
        purpose=(
            "A network of about thirty local players bringing third places and new ways of working to the "
            "Baronnies provençales. It informs residents, connects initiatives and inspires new ones."
        ),
    )

    for key, model_path, slug, fr_title, fr_intro, en_title, en_intro in SECTIONS:
        model = apps.get_model(model_path)
        page = ensure_child(
            home, model, slug, title=fr_title, intro=fr_intro, search_description=_text(fr_intro)
        )
        ctx.pages[key] = page
        ctx.pages[f"{key}_en"] = ensure_translation(
            page, ctx.en, title=en_title, intro=en_intro, search_description=_text(en_intro)
        )

    for slug, fr_title, fr_intro, en_title, en_intro in STANDARD_PAGES:
        fields = {"title": fr_title, "intro": fr_intro}
        if slug == "le-reseau":
            fields["body"] = ABOUT_BODY_FR
            fields["social_image"] = ctx.images["about"]
        page = ensure_child(home, StandardPage, slug, **fields)
        ctx.pages[slug] = page
        en_fields = {"title": en_title, "intro": en_intro}
        if slug == "le-reseau":
            en_fields["body"] = ABOUT_BODY_EN
        ctx.pages[f"{slug}_en"] = ensure_translation(page, ctx.en, **en_fields)


def _text(html):
    from django.utils.html import strip_tags

    return strip_tags(html)


def build_menus(ctx):
    header = [("directory", ""), ("news", ""), ("events", ""), ("dossiers", ""), ("le-reseau", "")]
    footer = [
        ("le-reseau", ""),
        ("mentions-legales", ""),
        ("accessibilite", ""),
        ("donnees-personnelles", ""),
    ]
    footer_text = {
        "fr": "Un réseau animé par le Parc naturel régional des Baronnies provençales, à cheval sur la Drôme et les Hautes-Alpes.",
        "en": "A network run by the Baronnies provençales Regional Natural Park, across the Drôme and the Hautes-Alpes.",
    }
    for place, items in ((Menu.HEADER, header), (Menu.FOOTER, footer)):
        fr_menu = Menu.objects.filter(place=place, locale=ctx.fr).first()
        if fr_menu is None:
            fr_menu = Menu.objects.create(
                place=place,
                locale=ctx.fr,
                footer_text=footer_text["fr"] if place == Menu.FOOTER else "",
            )
            for order, (key, label) in enumerate(items):
                MenuItem.objects.create(
                    menu=fr_menu, page=ctx.pages[key], label=label, sort_order=order
                )
        if not Menu.objects.filter(place=place, locale=ctx.en).exists():
            en_menu = Menu.objects.create(
                place=place,
                locale=ctx.en,
                translation_key=fr_menu.translation_key,
                footer_text=footer_text["en"] if place == Menu.FOOTER else "",
            )
            for order, (key, label) in enumerate(items):
                MenuItem.objects.create(
                    menu=en_menu, page=ctx.pages[f"{key}_en"], label=label, sort_order=order
                )


def build_settings(ctx):
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.email:
        site_settings.address = "Maison du Parc\nSahune (Drôme)"
        site_settings.email = "innover@baronnies-provencales.example"
        site_settings.phone = "04 00 00 00 00"
        site_settings.mastodon_url = "https://mastodon.example/@baronnies"
        site_settings.save()
    if not site_settings.partners.exists():
        for order, name in enumerate(
            [
                "Parc naturel régional des Baronnies provençales",
                "Pays Une Autre Provence",
                "Pays Sisteronais-Buëch",
            ]
        ):
            logo = demo_image(f"Logo {name}", f"Logo : {name}", seed=10 + order, size=(320, 160))
            Partner.objects.create(settings=site_settings, name=name, logo=logo, sort_order=order)


def build_accounts(ctx):
    from members.roles import ensure_park_group

    park = ensure_park_group()  # the moderators' role, with its rights (members/roles.py)
    ctx.users["admin"] = ensure_user(
        "admin", email="admin@example.org", first_name="Admin", superuser=True
    )
    ctx.users["parc"] = ensure_user(
        "parc", email="parc@example.org", first_name="Camille", last_name="Parc", groups=[park]
    )
    # Member editors: members.demo onboards their organisations, which gives these groups
    # (found by name) their section, collection and rights; here they can at least reach the admin.
    ctx.users["asoft"] = ensure_user(
        "asoft",
        email="asoft@example.org",
        first_name="Rédaction",
        last_name="ASOFT",
        groups=[admin_access_group("ASOFT · rédaction")],
    )
    ctx.users["cigale"] = ensure_user(
        "cigale",
        email="cigale@example.org",
        first_name="Rédaction",
        last_name="La Cigale",
        groups=[admin_access_group("La Cigale de Nyons · rédaction")],
    )


def build_images(ctx):
    ctx.images["home"] = demo_image(
        "Les Baronnies provençales",
        "Collines des Baronnies sous un soleil d'été, dessinées en aplats de couleurs",
        seed=1,
    )
    ctx.images["about"] = demo_image(
        "Réunion du réseau",
        "Paysage de collines stylisé illustrant une rencontre du réseau",
        seed=2,
    )


def build(ctx):
    build_accounts(ctx)
    build_images(ctx)
    build_taxonomy(ctx)
    build_home(ctx)
    build_menus(ctx)
    build_settings(ctx)
    ctx.log("Cadre du site : comptes, thèmes, accueil, rubriques, pages et menus.")
