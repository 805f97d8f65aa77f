#!/usr/bin/env python3
"""Realistic volumes for the benchmark, fast: 200 organisations, 10,000 directory entries,
5,000 articles and 1,000 events, on a dedicated PostgreSQL database.

Pages are not created one by one through treebeard (``add_child`` costs several queries and a
tree lock per page): their tree paths are computed here and rows are inserted in batches, table by
table, inside one transaction; no signal fires, so the search index is rebuilt once at the end
(``update_index``), and that time is reported.

    .venv/bin/python bench/generate.py            # drops and rebuilds wt_perf_bench
    BENCH_DB=other .venv/bin/python bench/generate.py

Reusable: ``generate(scale=1.0)`` from a Django shell fills the current database (a demo site must
exist: ``load_demo`` first).
"""

import os
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "tiers-lieu numérique médiation atelier fablab coworking télétravail village olivier lavande "
    "Buis-les-Baronnies Nyons Serres Rosans Séderon Orpierre Montbrun rencontre formation réseau "
    "association collectif entreprendre jeunesse culture territoire mobilité solidarité"
).split()


def sentence(rng, n=12):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def bench_env(db_name):
    """Environment for the benchmark's Django processes: production settings on loopback."""
    import secrets

    pg = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"{pg}/{db_name}",
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "SECURE_SSL_REDIRECT": "off",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        # The demo's images, written with the template database below, in this checkout.
        "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
        "IMAGES_PREPARE_RENDITIONS": "off",
        "LOG_LEVEL": "WARNING",
        "WAGTAIL_LOG_LEVEL": "WARNING",
    }


def insert_pages(parent, model, rows, now):
    """Insert live pages of ``model`` (``rows``: dicts of field values, each with ``title`` and
    ``slug``) as the last children of ``parent``, in batches, published at ``now`` and without
    revisions (``core.bulk_pages.insert_pages``). Returns the pages."""
    from core.bulk_pages import insert_pages as insert

    return insert(
        parent, [model(locale_id=parent.locale_id, **fields) for fields in rows], published_at=now
    )


def generate(scale=1.0, stdout=sys.stdout):
    """Fill the current database (which holds the demo site). Returns timings in seconds."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from directory.models import ActorPage, PlacePage
    from directory.pages import DirectoryIndexPage
    from events.models import EventIndexPage, EventPage, OrganisationEventsPage
    from members.models import Organisation
    from news.models import ArticlePage, NewsIndexPage, OrganisationNewsPage

    rng = random.Random(7)  # noqa: S311 - fake data
    now = timezone.now()
    n_orgs, n_entries = int(200 * scale), int(10_000 * scale)
    n_articles, n_events = int(5_000 * scale), int(1_000 * scale)
    fr = Locale.objects.get(language_code="fr")
    directory = DirectoryIndexPage.objects.get(locale=fr)
    news = NewsIndexPage.objects.get(locale=fr)
    events = EventIndexPage.objects.get(locale=fr)
    timings = {}

    started = time.perf_counter()
    with transaction.atomic():
        actors = insert_pages(
            directory,
            ActorPage,
            [
                {
                    "title": f"Structure {i:03d}",
                    "slug": f"structure-{i:03d}",
                    "summary": sentence(rng),
                }
                for i in range(n_orgs)
            ],
            now,
        )
        insert_pages(
            directory,
            PlacePage,
            [
                {
                    "title": f"Lieu {i:05d} {rng.choice(WORDS)}",
                    "slug": f"lieu-{i:05d}",
                    "summary": sentence(rng),
                    "description": f"<p>{sentence(rng, 40)}</p>",
                    "address": f"{rng.randint(1, 90)} rue du {rng.choice(WORDS)}",
                }
                for i in range(n_entries - n_orgs)
            ],
            now,
        )
        folders = insert_pages(
            news,
            OrganisationNewsPage,
            [{"title": f"Actualités {i:03d}", "slug": f"structure-{i:03d}"} for i in range(n_orgs)],
            now,
        )
        agendas = insert_pages(
            events,
            OrganisationEventsPage,
            [{"title": f"Agenda {i:03d}", "slug": f"structure-{i:03d}"} for i in range(n_orgs)],
            now,
        )
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Structure {i:03d}",
                    slug=f"structure-{i:03d}",
                    actor_page_id=actors[i].id,
                    news_page_id=folders[i].id,
                    events_page_id=agendas[i].id,
                )
                for i in range(n_orgs)
            ]
        )
        organisations = {
            o.slug: o for o in Organisation.objects.filter(slug__startswith="structure-")
        }
        per_org = max(1, n_articles // n_orgs)
        for i, folder in enumerate(folders):
            org = organisations[f"structure-{i:03d}"]
            insert_pages(
                folder,
                ArticlePage,
                [
                    {
                        "title": f"Article {i:03d}-{j:02d} {rng.choice(WORDS)}",
                        "slug": f"article-{j:02d}",
                        "lead": sentence(rng, 25),
                        "body": [
                            {
                                "type": "paragraph",
                                "value": f"<p>{sentence(rng, 80)}</p>",
                                "id": str(uuid.uuid4()),
                            }
                        ],
                        "organisation_id": org.id,
                    }
                    for j in range(per_org)
                ],
                now - timedelta(days=i),
            )
        per_agenda = max(1, n_events // n_orgs)
        for i, agenda in enumerate(agendas):
            events = insert_pages(
                agenda,
                EventPage,
                [
                    {
                        "title": f"Atelier {i:03d}-{j:02d} {rng.choice(WORDS)}",
                        "slug": f"atelier-{j:02d}",
                        "lead": sentence(rng, 20),
                        "start": now + timedelta(days=rng.randint(-60, 120), hours=j),
                        "end": now + timedelta(days=rng.randint(121, 130)),
                        "body": [],
                    }
                    for j in range(per_agenda)
                ],
                now,
            )
            # /agenda/ lists occurrences, materialised on publish: one row per bulk-inserted event.
            from django.db.models import F

            from events.models import EventOccurrence

            EventOccurrence.objects.bulk_create(
                EventOccurrence(
                    event_id=event.pk, recurrence_id=event.start, start=event.start, end=event.end
                )
                for event in events
            )
            EventPage.objects.filter(pk__in=[event.pk for event in events]).update(
                last_end=F("end")
            )
    timings["pages"] = time.perf_counter() - started
    print(f"  pages inserted in {timings['pages']:.1f} s", file=stdout, flush=True)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after bulk inserts (PostgreSQL)
    started = time.perf_counter()
    # The site's update_index (core/management/commands/update_index.py): Wagtail's rebuild, then
    # the entries' table compacted and analysed (its statistics, and those kept on the expression
    # that the search matches, search's migration 0003, would otherwise describe the demo's rows).
    call_command("update_index", verbosity=0)
    timings["update_index"] = time.perf_counter() - started
    print(f"  search index rebuilt in {timings['update_index']:.1f} s", file=stdout, flush=True)
    from core.page_cache import clear_page_cache

    clear_page_cache()
    return timings


def main():
    db_name = os.environ.get("BENCH_DB", "wt_perf_bench")
    env = {**os.environ, **bench_env(db_name)}
    python = str(ROOT / ".venv" / "bin" / "python")
    pg = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
    base = f"{db_name}_base"

    def psql(sql):
        return subprocess.run(
            ["psql", f"{pg}/postgres", "-tAc", sql], check=True, capture_output=True, text=True
        ).stdout.strip()

    # The migrated demo site is kept as a template database: later runs copy it in seconds.
    # (Delete it with `dropdb wt_perf_bench_base` after a change of the demo's content.)
    # Its images live in this checkout (MEDIA_ROOT above): another checkout builds it again.
    media_ready = (Path(env["MEDIA_ROOT"]) / "original_images").is_dir()
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{base}'")
    base_env = {**env, "DATABASE_URL": f"{pg}/{base}"}
    # A template built before a new migration is built again (`migrate --check` fails on it).
    stale = (
        bool(exists)
        and subprocess.run(
            [python, "manage.py", "migrate", "--check"], cwd=ROOT, env=base_env, capture_output=True
        ).returncode
        != 0
    )
    if not exists or stale or not media_ready or "--fresh" in sys.argv:
        print(f"Building the template database {base} (migrate, demo)", flush=True)
        psql(f"DROP DATABASE IF EXISTS {base} WITH (FORCE)")
        psql(f"CREATE DATABASE {base}")
        for args in (["migrate", "--no-input"], ["load_demo", "--force"]):
            subprocess.run(
                [python, "manage.py", *args],
                cwd=ROOT,
                env=base_env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
    print(f"Generating {db_name} from {base}", flush=True)
    psql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
    psql(f"CREATE DATABASE {db_name} TEMPLATE {base}")
    os.environ.update(env)
    import django

    django.setup()
    timings = generate()
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-generate.txt").write_text(
        "\n".join(f"{k} {v:.2f}" for k, v in timings.items()) + "\n"
    )


if __name__ == "__main__":
    main()
