"""Benchmark of the directory on PostgreSQL (a script, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_dirdata_bench .venv/bin/python bench/directory_bench.py

It creates the database if needed, migrates it, loads the demo site, then generates ENTRIES
directory entries (skipped when they already exist; ``--regenerate`` drops the whole benchmark database first) and
prints:

- the generation time (tree built in bulk, search index filled afterwards);
- p50 / p95 server time of the directory page with a text query plus two facets (Django test
  client, in-process: no network, no static files), with every cache emptied before each request
  and then warm; the same search on another page and order; the size of the page and of its
  map markers (fetched by the map from /annuaire/carte.json);
- the SQL query count of the directory page for few and many results, and with empty caches;
- the GeoJSON export time for the whole set, cold and cached, and for a filtered set.

Bulk generation: Django cannot ``bulk_create`` multi-table models (ActorPage/PlacePage extend
Page), and treebeard's ``add_child`` costs several queries per page. So the script computes the
materialised paths itself (treebeard's own ``_get_path``), bulk-creates the ``Page`` rows, inserts
the specific rows with ``executemany``, bulk-creates the many-to-many rows, fixes the parent's
``numchild``, and finally indexes the new pages for search with the backend's ``add_bulk``.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/wt_dirdata_bench"
ENTRIES = 10_000
SLUG_PREFIX = "bench-"
RUNS = 60
BENCH_HOURS = [
    "Mo-Fr 09:00-12:30,14:00-18:00; PH off",
    "Tu-Sa 10:00-19:00",
    "Mo,We,Fr 14:00-18:00; Sa 09:00-12:00",
    "24/7",
    "",
]


def ensure_database(url, recreate=False):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if recreate:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"database {name} created")


def setup(recreate=False):
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("This benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    ensure_database(os.environ["DATABASE_URL"], recreate)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from core.demo import site_is_empty

    if site_is_empty():
        call_command("load_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


WORDS = [
    "atelier", "numérique", "coworking", "fabrique", "recyclerie", "médiation", "culture", "lavande",
    "olivier", "tilleul", "jeunesse", "emploi", "solidaire", "partage", "village", "vallée", "montagne",
    "ressources", "réparation", "informatique", "citoyen", "rural", "tisserand", "potager", "forge",
]  # fmt: skip


def generate(count, seed=7):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    from directory.models import (
        ActorKind,
        ActorPage,
        Commune,
        DirectoryEntry,
        PlaceKind,
        PlacePage,
        Service,
    )
    from directory.pages import DirectoryIndexPage
    from taxonomy.models import Theme

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    fr = Locale.objects.get(language_code="fr")
    index = DirectoryIndexPage.objects.get(locale=fr)
    communes = list(Commune.objects.filter(latitude__isnull=False))
    actor_kinds = list(ActorKind.objects.filter(locale=fr))
    place_kinds = list(PlaceKind.objects.filter(locale=fr))
    services = list(Service.objects.filter(locale=fr))
    themes = list(Theme.objects.filter(locale=fr))
    now = timezone.now()

    started = time.perf_counter()
    with transaction.atomic():
        last = index.get_children().order_by("-path").first()
        step = Page._str2int(last.path[-Page.steplen :]) if last else 0
        pages, specifics = [], []
        types = {
            ActorPage: ContentType.objects.get_for_model(ActorPage),
            PlacePage: ContentType.objects.get_for_model(PlacePage),
        }
        for n in range(count):
            model = ActorPage if n % 5 < 2 else PlacePage
            step += 1
            words = rng.sample(WORDS, 3)
            title = f"{words[0].capitalize()} {words[1]} {n}"
            slug = f"{SLUG_PREFIX}{n}"
            page = Page(
                title=title, draft_title=title, slug=slug, content_type=types[model], locale=fr,
                path=Page._get_path(index.path, index.depth + 1, step), depth=index.depth + 1, numchild=0,
                url_path=f"{index.url_path}{slug}/", live=True, has_unpublished_changes=False,
                first_published_at=now, last_published_at=now, live_revision=None,
                translation_key=uuid.uuid4(),
            )  # fmt: skip
            commune = rng.choice(communes)
            fields = {
                "summary": f"Un lieu de {words[2]} et de {rng.choice(WORDS)} à {commune.name}.",
                "description": f"<p>{' '.join(rng.sample(WORDS, 8))}</p>",
                "commune_id": commune.pk,
                "address": f"{rng.randint(1, 40)} rue du {rng.choice(WORDS)}",
                "latitude": commune.latitude + rng.uniform(-0.01, 0.01) if n % 3 else None,
                "longitude": commune.longitude + rng.uniform(-0.01, 0.01) if n % 3 else None,
                "kind_id": rng.choice(actor_kinds if model is ActorPage else place_kinds).pk,
            }
            if model is PlacePage:
                fields["opening_hours"] = rng.choice(BENCH_HOURS)
            pages.append(page)
            specifics.append((model, fields))
        Page.objects.bulk_create(pages, batch_size=1000)
        for model in (ActorPage, PlacePage):
            rows = [
                (page, fields)
                for page, (m, fields) in zip(pages, specifics, strict=True)
                if m is model
            ]
            # One row in the shared table (DirectoryEntry), one in the type's own table.
            for concrete in (DirectoryEntry, model):
                local = [f for f in concrete._meta.local_concrete_fields]
                columns = ", ".join(connection.ops.quote_name(f.column) for f in local)
                placeholders = ", ".join(["%s"] * len(local))
                values = []
                for page, fields in rows:
                    obj = model(page_ptr_id=page.pk, directoryentry_ptr_id=page.pk, **fields)
                    values.append(
                        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in local]
                    )
                with connection.cursor() as cursor:
                    sql = (
                        f"INSERT INTO {concrete._meta.db_table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - model metadata only
                    )
                    cursor.executemany(sql, values)
            theme_through = model.themes.through
            theme_rows = []
            service_rows = []
            for page, _fields in rows:
                for theme in rng.sample(themes, rng.randint(1, 2)):
                    theme_rows.append(theme_through(directoryentry_id=page.pk, theme_id=theme.pk))
                if model is PlacePage:
                    for service in rng.sample(services, rng.randint(1, 3)):
                        service_rows.append(
                            PlacePage.services.through(placepage_id=page.pk, service_id=service.pk)
                        )
            theme_through.objects.bulk_create(theme_rows, batch_size=5000)
            if service_rows:
                PlacePage.services.through.objects.bulk_create(service_rows, batch_size=5000)
        Page.objects.filter(pk=index.pk).update(numchild=index.get_children().count())
        from directory.commons.hours import rebuild

        rebuild(PlacePage.objects.filter(slug__startswith=SLUG_PREFIX).only("pk", "opening_hours"))
    tree_time = time.perf_counter() - started

    started = time.perf_counter()
    backend = get_search_backend()
    for model in (ActorPage, PlacePage):
        related = ["themes", "services"] if model is PlacePage else ["themes"]
        objs = list(
            model.objects.filter(slug__startswith=SLUG_PREFIX)
            .select_related("commune", "kind", "locale")
            .prefetch_related(*related)
        )
        for chunk in range(0, len(objs), 1000):
            backend.add_bulk(model, objs[chunk : chunk + 1000])
    index_time = time.perf_counter() - started
    # What autovacuum does after a bulk load: without fresh statistics the planner guesses
    # one row per table and picks nested loops.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return tree_time, index_time


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def timed_get(client, url, params=None):
    started = time.perf_counter()
    response = client.get(url, params or {})
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, params, response.status_code)
    return elapsed, response


def count_queries(client, url, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        _elapsed, response = timed_get(client, url, params)
    return len(context), response


def results_for(params):
    from directory.filters import DirectoryQuery
    from directory.opendata import get_locale

    return DirectoryQuery.from_params(params, get_locale("fr")).count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument(
        "--regenerate", action="store_true", help="drop the benchmark database and start again"
    )
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    setup(recreate=args.regenerate)

    from django.core.cache import cache
    from django.test import Client

    from directory.models import DirectoryEntry

    existing = DirectoryEntry.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if existing and existing < args.entries:
        sys.exit(
            f"{existing} generated entries only: run again with --regenerate (drops the database)"
        )
    if not existing:
        tree_time, index_time = generate(args.entries)
        print(
            f"generation of {args.entries} entries: tree {tree_time:.2f} s, search index {index_time:.2f} s"
        )
    else:
        print(f"{existing} generated entries already there (use --regenerate to rebuild them)")
    total = DirectoryEntry.objects.live().count()
    sys.stdout.flush()
    print(f"live entries (both languages): {total}")

    client = Client()
    cache.clear()
    page_params = {"q": "numérique", "theme": "culture-numerique", "department": "26"}
    print(
        f"directory page /annuaire/?{'&'.join(f'{k}={v}' for k, v in page_params.items())}: {results_for(page_params)} results"
    )
    # Cold: every cache emptied before each request (search ids, known values, frame).
    cold = []
    for _ in range(args.runs // 3):
        cache.clear()
        cold.append(timed_get(client, "/annuaire/", page_params)[0])
    print(
        f"  server time, caches emptied before each of {len(cold)} runs: p50 {percentile(cold, 0.5):.1f} ms, p95 {percentile(cold, 0.95):.1f} ms"
    )
    # Warm: the same search again (the text search is kept per content version; the counts,
    # the page of rows and the template are computed on every request).
    for _ in range(3):
        timed_get(client, "/annuaire/", page_params)
    times = [timed_get(client, "/annuaire/", page_params)[0] for _ in range(args.runs)]
    print(
        f"  server time over {args.runs} runs: p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms"
    )
    refined = {**page_params, "sort": "name", "page": "3"}
    times = [timed_get(client, "/annuaire/", refined)[0] for _ in range(args.runs)]
    print(
        f"  same search sorted by name, page 3, over {args.runs} runs: p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms"
    )
    opened = {**page_params, "open": "now"}
    times = [timed_get(client, "/annuaire/", opened)[0] for _ in range(args.runs)]
    print(
        f"  same search, open now ({results_for(opened)} results), over {args.runs} runs: p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms"
    )
    saturday = {**page_params, "open": "sa"}
    times = [timed_get(client, "/annuaire/", saturday)[0] for _ in range(args.runs)]
    print(
        f"  same search, open on Saturday ({results_for(saturday)} results), over {args.runs} runs: p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms"
    )
    _elapsed, response = timed_get(client, "/annuaire/", page_params)
    markers_url = "/annuaire/carte.json"
    elapsed, markers = timed_get(client, markers_url, page_params)
    print(
        f"  page size {len(response.content) / 1000:.0f} KB; its map markers ({markers_url}, {len(markers.json())} markers, {len(markers.content) / 1000:.0f} KB): {elapsed:.0f} ms"
    )

    few = {"q": "numérique", "commune": "26220"}
    many = {"q": "numérique"}
    for label, params in (
        ("few", few),
        ("many", many),
        ("many, open on Saturday", {**many, "open": "sa"}),
        ("many, open now", {**many, "open": "now"}),
    ):
        timed_get(client, "/annuaire/", params)  # warm the known-values cache
        queries, _response = count_queries(client, "/annuaire/", params)
        print(f"  SQL queries, {label} results ({results_for(params)}): {queries}")
    cache.clear()
    queries, _response = count_queries(client, "/annuaire/", page_params)
    print(f"  SQL queries with every cache empty: {queries}")

    cache.clear()
    cold, response = timed_get(client, "/annuaire/export.geojson")
    cached = statistics.median(timed_get(client, "/annuaire/export.geojson")[0] for _ in range(5))
    print(
        f"GeoJSON export of the whole set ({len(response.content) / 1e6:.1f} MB): cold {cold:.0f} ms, cached {cached:.1f} ms"
    )
    elapsed, response = timed_get(client, "/annuaire/export.geojson", {"department": "05"})
    print(
        f"GeoJSON export of a filtered set (department=05, {len(response.json()['features'])} features, never cached): {elapsed:.0f} ms"
    )
    print(
        f"machine: {platform.node()} · {platform.platform()} · Python {platform.python_version()} · {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
