"""Demo content for the agenda: folders, the network's public meeting, its monthly meetings and
the two workshops of the Rencontres Solidaires (facts from the founding document, our wording).

Dates are relative to today so that the demo always has upcoming events and an archive: the
next 14 December (public meeting at Aubres), the monthly network meeting (one series: the second
Tuesday of every month from the next one, August cancelled), and the last 23–24 October (Rencontres Solidaires in Nyons, in the archive).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core.demo import ensure_child, ensure_translation
from news.demo import ensure_folders, ensure_organisation

PARIS = ZoneInfo("Europe/Paris")


def at(day, hour=0, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def next_day(today, month, day):
    candidate = date(today.year, month, day)
    return candidate if candidate >= today else date(today.year + 1, month, day)


def last_day(today, month, day):
    candidate = date(today.year, month, day)
    return candidate if candidate < today else date(today.year - 1, month, day)


def second_tuesdays(today, count):
    days, year, month = [], today.year, today.month
    while len(days) < count:
        first = date(year, month, 1)
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7 + 7)
        if tuesday > today:
            days.append(tuesday)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def commune(name):
    from directory.models import Commune

    return Commune.objects.filter(name=name).first()


def where(name, venue=""):
    """A commune from the directory when it is loaded, else the name as text."""
    found = commune(name)
    if found is not None:
        return {"commune": found, "venue": venue}
    return {"venue": f"{venue}, {name}" if venue else name}


def paragraph(*texts):
    return [("paragraph", "".join(f"<p>{text}</p>" for text in texts))]


def build(ctx):
    from events.models import EventException, EventPage, OrganisationEventsPage
    from events.recurrence import MONTHLY_WEEKDAY
    from taxonomy.models import Theme

    folders = ensure_folders(ctx, "events", OrganisationEventsPage, "events_page")
    themes = {(t.slug, t.locale_id): t for t in Theme.objects.all()}
    all_themes = [
        "developpement-economique",
        "services-au-public",
        "pratiques-collaboratives",
        "culture-numerique",
    ]

    def theme_list(slugs, locale):
        return [themes[(slug, locale.pk)] for slug in slugs]

    today = timezone.localdate()
    aubres = next_day(today, 12, 14)
    meeting = ensure_child(
        folders["parc"],
        EventPage,
        "premiere-rencontre-publique-aubres",
        title="Première rencontre publique du réseau",
        lead="Une journée ouverte et participative à Aubres pour parler tiers-lieux, nouveaux modes de travail et "
        "culture numérique, et pour lancer des projets en ateliers.",
        start=at(aubres),
        end=at(aubres, 23, 59),
        all_day=True,
        **where("Aubres"),
        themes=theme_list(all_themes, ctx.fr),
        registration_open=True,
        capacity=80,
        body=paragraph(
            "Deux objectifs : informer sur les enjeux, pour les Baronnies provençales, des nouveaux modes de "
            "travail, des tiers-lieux et de la culture numérique ; et susciter la création de tiers-lieux en "
            "mobilisant l'énergie et l'imagination des participants.",
            "Les quatre thèmes du réseau structurent la journée : développement économique, services au public, "
            "pratiques collaboratives, culture numérique.",
        ),
    )
    ensure_translation(
        meeting,
        ctx.en,
        title="The network's first public meeting",
        lead="An open, participatory day in Aubres about third places, new ways of working and digital culture, "
        "with workshops to start projects.",
        themes=theme_list(all_themes, ctx.en),
        body=paragraph(
            "Two aims: to explain what new ways of working, third places and digital culture mean for the "
            "Baronnies provençales; and to spark new third places by drawing on the participants' energy and ideas.",
        ),
    )

    # The monthly meetings: one series (second Tuesday of every month), not one page per month.
    # Earlier demos made one copy per month: they go.
    for old in EventPage.objects.filter(slug__startswith="reunion-du-reseau-"):
        old.delete()
    first = second_tuesdays(today, 1)[0]
    august = next(day for day in second_tuesdays(today, 12) if day.month == 8)
    monthly = ensure_child(
        folders["parc"],
        EventPage,
        "reunion-mensuelle-du-reseau",
        title="Réunion mensuelle du réseau",
        lead="Chaque mois, les membres d'Innover en Baronnies provençales font le point sur leurs projets. "
        "Ouvert à toute personne qui veut contribuer.",
        start=at(first, 14),
        end=at(first, 16, 30),
        repeat=MONTHLY_WEEKDAY,
        repeat_position=2,
        **where("Sahune", "Maison du Parc"),
        themes=theme_list(["pratiques-collaboratives"], ctx.fr),
        registration_open=True,
        capacity=25,
        # No meeting in August.
        exceptions=[EventException(original_date=august, cancelled=True)],
    )
    ensure_translation(
        monthly,
        ctx.en,
        title="Monthly network meeting",
        lead="Every month, the members of Innover en Baronnies provençales review their projects. "
        "Open to anyone who wants to contribute.",
        themes=theme_list(["pratiques-collaboratives"], ctx.en),
    )

    # ASOFT keeps its own calendar: the demo serves one as a static file (assets/demo/), which
    # `manage.py import_calendars` turns into drafts for moderation while `make run` serves.
    asoft = ensure_organisation("asoft", "ASOFT")
    if not asoft.calendar_url:
        asoft.calendar_url = f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{settings.STATIC_URL}demo/agenda-asoft.ics"
        asoft.save(update_fields=["calendar_url"])

    cigale = ensure_organisation("la-cigale-de-nyons", "La Cigale de Nyons")
    for offset, slug, title, lead, theme_slugs, en in [
        (
            0,
            "atelier-ptce-rencontres-solidaires",
            "Rencontres Solidaires : atelier sur les pôles territoriaux de coopération économique",
            "Un atelier des Rencontres Solidaires de La Cigale consacré aux PTCE : coopérer entre acteurs d'un "
            "même territoire pour créer de l'activité.",
            ["developpement-economique"],
            (
                "Rencontres Solidaires: workshop on local economic cooperation hubs",
                "A Rencontres Solidaires workshop at La Cigale on PTCEs: local players cooperating to create activity.",
            ),
        ),
        (
            1,
            "atelier-tiers-lieux-rencontres-solidaires",
            "Rencontres Solidaires : atelier sur les tiers-lieux",
            "Un atelier des Rencontres Solidaires de La Cigale consacré aux tiers-lieux : lieux partagés, "
            "coworking, fab labs, et ce qu'ils apportent au territoire.",
            ["pratiques-collaboratives"],
            None,
        ),
    ]:
        day = last_day(today, 10, 23) + timedelta(days=offset)
        event = ensure_child(
            folders["la-cigale-de-nyons"],
            EventPage,
            slug,
            title=title,
            lead=lead,
            start=at(day),
            end=at(day, 23, 59),
            all_day=True,
            **where("Nyons", "La Cigale"),
            themes=theme_list(theme_slugs, ctx.fr),
            organisers=[cigale],
        )
        if en is not None:
            ensure_translation(
                event, ctx.en, title=en[0], lead=en[1], themes=theme_list(theme_slugs, ctx.en)
            )
    ctx.log(
        "Agenda : rubriques, rencontre publique, réunions mensuelles, ateliers des Rencontres Solidaires."
    )
