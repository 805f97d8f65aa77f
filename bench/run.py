#!/usr/bin/env python3
"""Benchmark: prints every figure of issues 7 and 16 and writes them to var/bench-last-run.md.

Run `make bench` (generates the volumes first with bench/generate.py), or
`.venv/bin/python bench/run.py` on an already generated database (BENCH_DB, default wt_perf_bench).

1. Per public page type, through Django's test client (page cache off): SQL queries, p50 and
   p95 server time over 50 requests.
2. Over HTTP: gunicorn with 2 workers, wrk on loopback (5 s per URL, 2 threads, 4 connections):
   requests/s and p95 latency, page cache off ("cold", every request computed) then on
   ("cached"), next to a bare Django view (/bench/bare/): the ceiling of this stack here.
3. RSS of each gunicorn worker after the run; transfer size of home and directory pages
   (HTML + CSS + JS, without images); import and search index rebuild times.
Not a test: it asserts nothing, it measures. Keep it short: it shares the machine.
"""

import gzip
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import bench_env  # noqa: E402

from tests.page_types import sample_urls  # noqa: E402

REQUESTS = 50
# gunicorn as a server runs it: the site's packages only (make bench builds this venv, as make
# install-production does on a server); .venv, with the tests' tools too, if it is missing.
PRODUCTION_GUNICORN = ROOT / "var" / "venv-production" / "bin" / "gunicorn"
GUNICORN = (
    PRODUCTION_GUNICORN if PRODUCTION_GUNICORN.exists() else ROOT / ".venv" / "bin" / "gunicorn"
)
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
# Issue 16's goals: ratios are to the bare view in the same run (cold: page cache off).
GOALS = {
    "queries": 12,
    "uncached_item_ratio": 0.08,  # article, event, actor and place pages
    "uncached_index_ratio": 0.04,  # home, news index, agenda, directory index
    "site_search_p95_ms": 50,
    "site_search_ratio": 0.04,
    "directory_search_after_publication_p95_ms": 100,
    "cached_ratio": 0.60,
    "rss_mb": 120,
    "import_s": 30,
}
ITEM_PAGES = ("article", "event", "actor page", "place page")
# Words of the generated texts (bench/generate.py WORDS), one per request of the "new query" line.
SEARCH_WORDS = (
    "atelier",
    "lavande",
    "olivier",
    "formation",
    "jeunesse",
    "mobilite",
    "village",
    "culture",
    "territoire",
    "rencontre",
    "collectif",
    "solidarite",
)
# Rounds of SEARCH_WORDS: 60 first-time queries, enough for a 95th percentile (of 12, it was the
# slowest request, which follows this machine's swings of speed more than the code).
SEARCH_ROUNDS = 5
INDEX_PAGES = ("home", "news index", "agenda", "directory index")
LINES = []


def out(line=""):
    print(line, flush=True)
    LINES.append(line)


def machine_speed():
    """Milliseconds for a fixed CPU-bound loop (best of 5): how fast this machine is right now,
    printed beside the figures so that runs can be compared."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10_000_000))
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lower = int(k)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (k - lower)


def counter(queries):
    """A database execute wrapper that appends each statement to ``queries``."""

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def server_side(urls):
    from django.db import connection
    from django.test import Client, override_settings

    from core.page_cache import clear_page_cache

    out("## Server time per page type (test client, page cache off)")
    out()
    out(
        "| page | URL | status | SQL queries | SQL queries, first view after a publication "
        "| p50 ms | p95 ms | size KB |"
    )
    out("|---|---|---|---|---|---|---|---|")
    results = {}
    client = Client()
    with override_settings(PAGE_CACHE_ENABLED=False):
        for label, url in urls.items():
            try:
                for _ in range(2):
                    response = client.get(url)
            except Exception as error:  # noqa: BLE001 - a page type not built on this branch
                out(
                    f"| {label} | `{url}` | error | {type(error).__name__}: {str(error)[:80]} | | | | |"
                )
                continue
            # Right after a publication (of a page no menu links to: the content version renewed,
            # the site version kept, as core/signal_handlers.py does), then seen again.
            first_view, queries = [], []
            clear_page_cache(site_wide=False)
            with connection.execute_wrapper(counter(first_view)):
                client.get(url)
            with connection.execute_wrapper(counter(queries)):
                response = client.get(url)
            times = []
            for _ in range(REQUESTS):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            results[label] = (
                len(queries),
                percentile(times, 50),
                percentile(times, 95),
                len(first_view),
            )
            out(
                f"| {label} | `{url}` | {response.status_code} | {len(queries)} | {len(first_view)} | "
                f"{results[label][1]:.1f} | {results[label][2]:.1f} | {len(response.content) / 1024:.1f} |"
            )
    # Right after a publication: a new content version, so every cache keyed by it is empty; the
    # site version kept, as core/signal_handlers.py keeps it for a page no menu links to (as for
    # the query counts above). For the record, the same with every cache empty (a change of the
    # menus or settings renews the site version too).
    with override_settings(PAGE_CACHE_ENABLED=False):
        for label in ("directory search", "site search"):
            if label not in urls:
                continue
            for site_wide, key, when in (
                (
                    False,
                    "after publication",
                    "after a publication (content version changed before each request)",
                ),
                (
                    True,
                    "after a site change",
                    "after a change of the menus or settings (site version changed too)",
                ),
            ):
                times = []
                # The goal's line (a publication) as many times as the pages' lines; the record's, 10.
                for _ in range(10 if site_wide else REQUESTS):
                    clear_page_cache(site_wide=site_wide)
                    started = time.perf_counter()
                    client.get(urls[label])
                    times.append((time.perf_counter() - started) * 1000)
                results[f"{label} {key}"] = (
                    None,
                    percentile(times, 50),
                    percentile(times, 95),
                    None,
                )
                out(
                    f"- {label} right {when}, {len(times)} requests: "
                    f"p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
                    f"slowest {max(times):.1f} ms"
                )
        # Visitors type their own words: a query seen for the first time in this content version
        # (nothing kept for it), one different word per request. Each round renews the content
        # version first (a publication: every word is new again) and shows the empty search page
        # (the frame rebuilt, as the visitor who opened the search page before typing sees it).
        if "site search" in urls:
            times = []
            for _ in range(SEARCH_ROUNDS):
                clear_page_cache(site_wide=False)
                client.get("/recherche/")
                for word in SEARCH_WORDS:
                    started = time.perf_counter()
                    client.get("/recherche/", {"q": word})
                    times.append((time.perf_counter() - started) * 1000)
            results["site search, new query"] = (
                None,
                percentile(times, 50),
                percentile(times, 95),
                None,
            )
            out(
                f"- site search, a query seen for the first time ({len(SEARCH_WORDS)} different words "
                f"of the generated texts, {SEARCH_ROUNDS} rounds, each after a publication: "
                f"{len(times)} requests): p50 {percentile(times, 50):.1f} ms, "
                f"p95 {percentile(times, 95):.1f} ms, slowest {max(times):.1f} ms"
            )
    out()
    return results


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, cache_on):
    port = free_port()
    env = {**env, "PAGE_CACHE_ENABLED": "on" if cache_on else "off", "BENCH_BARE_VIEW": "on"}
    log = open(Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + "/robots.txt", timeout=5):  # noqa: S310
                return process, base
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"gunicorn did not start (log in {log.name})")


WRK_SCRIPT = """
wrk.headers["X-Forwarded-Proto"] = "https"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.2f %.3f %d %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000,
    summary.errors.status, summary.requests))
end
"""


def wrk(base, path, script):
    result = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{WRK_SECONDS}s", "-s", script, base + path],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"RESULT ([\d.]+) ([\d.]+) (\d+) (\d+)", result.stdout)
    return float(match.group(1)), float(match.group(2)), int(match.group(3))


def worker_memory(master):
    """RSS and PSS (shared pages divided among the processes that share them) of each worker, MB."""
    children = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True)
    sizes = []
    for pid in children.stdout.split():
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        rss, pss = (
            int(re.search(rf"^{name}:\s+(\d+)", rollup, re.M).group(1)) for name in ("Rss", "Pss")
        )
        sizes.append((rss / 1024, pss / 1024))
    return sizes


def transfer_size(base, path):
    """HTML + linked CSS and JS, raw and gzip-compressed (as sent to a browser that asks)."""
    with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
        html = response.read()
    assets = re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    assets += re.findall(rb'<script[^>]+src="([^"]+)"', html)
    raw, compressed = len(html), len(gzip.compress(html))
    for asset in assets:
        with urllib.request.urlopen(base + asset.decode(), timeout=30) as response:  # noqa: S310
            body = response.read()
        raw += len(body)
        compressed += len(gzip.compress(body))
    return raw / 1024, compressed / 1024, len(assets)


def over_http(env, urls):
    script = Path(tempfile.gettempdir()) / "bench-wrk.lua"
    script.write_text(WRK_SCRIPT)
    targets = {
        k: urls[k]
        for k in (*INDEX_PAGES, *ITEM_PAGES, "directory search", "site search")
        if k in urls
    }
    figures = {}
    rss = []
    memory = []
    sizes = {}
    for cache_on in (False, True):
        process, base = start_gunicorn(env, cache_on)
        try:
            figures[("bare", cache_on)] = wrk(base, "/bench/bare/", script)
            for label, path in targets.items():
                urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 - warm up
                figures[(label, cache_on)] = wrk(base, path, script)
            if cache_on:
                memory = worker_memory(process)
                rss = [mb for mb, _ in memory]
                for label in ("home", "directory index"):
                    sizes[label] = transfer_size(base, urls[label])
        finally:
            process.terminate()
            process.wait(timeout=30)
    out(f"## Over HTTP (gunicorn 2 workers, wrk -t2 -c4 -d{WRK_SECONDS}s on loopback)")
    out()
    out(
        "| URL | cold req/s | cold p95 ms | cold / ceiling | cached req/s | cached p95 ms | cached / ceiling |"
    )
    out("|---|---|---|---|---|---|---|")
    ratios = {}
    for label in ("bare", *targets):
        cold, cached = figures[(label, False)], figures[(label, True)]
        ceiling_cold, ceiling_cached = figures[("bare", False)][0], figures[("bare", True)][0]
        ratios[label] = (cold[0] / ceiling_cold, cached[0] / ceiling_cached)
        errors = f" ({cold[2] + cached[2]} non-2xx)" if cold[2] + cached[2] else ""
        name = "bare view (ceiling)" if label == "bare" else f"{label} `{targets[label]}`"
        out(
            f"| {name}{errors} | {cold[0]:.0f} | {cold[1]:.1f} | {ratios[label][0]:.0%} | "
            f"{cached[0]:.0f} | {cached[1]:.1f} | {ratios[label][1]:.0%} |"
        )
    out()
    out(
        "Worker RSS after the run: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss)
        + " (PSS "
        + ", ".join(f"{pss:.0f}" for _, pss in memory)
        + " MB: gunicorn.conf.py loads the application before forking, the workers share it); "
        + f"gunicorn from {GUNICORN.parent.parent.relative_to(ROOT)}"
        + (
            " (the site's packages only)"
            if GUNICORN == PRODUCTION_GUNICORN
            else " (tests' tools too)"
        )
    )
    out()
    out("## Transfer size (HTML + CSS + JS, no images)")
    out()
    for label, (raw, compressed, count) in sizes.items():
        out(
            f"- {label}: {raw:.1f} KB uncompressed, {compressed:.1f} KB gzip ({count} CSS/JS files)"
        )
    out()
    return ratios, rss, sizes


def measure_import(count):
    """Seconds to import ``count`` new entries: the CSV export of generated entries with new keys
    and slugs, run through the real command, then rolled back. Returns (seconds, rows)."""
    import csv
    import io
    import uuid

    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Case, Value, When

    from directory import opendata
    from directory.models import ActorKind, DirectoryEntry, PlaceKind

    actors_first = Case(When(actorpage__isnull=False, then=Value(0)), default=Value(1))
    ids = list(
        DirectoryEntry.objects.order_by(actors_first, "path").values_list("pk", flat=True)[:count]
    )
    rows = list(csv.DictReader(io.StringIO(opendata.export_csv(opendata.load_entries(ids)))))
    # Generated entries have no kind, which an import requires: give each row one of its type.
    kinds = {
        opendata.TYPE_ACTOR: ActorKind.objects.filter(locale__language_code="fr")
        .values_list("slug", flat=True)
        .first(),
        opendata.TYPE_PLACE: PlaceKind.objects.filter(locale__language_code="fr")
        .values_list("slug", flat=True)
        .first(),
    }
    for row in rows:
        row.update(uuid=str(uuid.uuid4()), slug=f"{row['slug']}-import", parent="", structures="")
        row["type_structure"] = row["type_structure"] or kinds[row["type"]]
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", newline="", encoding="utf-8", delete=False
    ) as handle:
        writer = csv.DictWriter(handle, fieldnames=opendata.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    started = time.perf_counter()
    try:
        with transaction.atomic():
            call_command(
                "import_directory", handle.name, stdout=io.StringIO(), stderr=io.StringIO()
            )
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
    finally:
        os.unlink(handle.name)
    return elapsed, len(rows)


def main():
    db_name = os.environ.get("BENCH_DB", "wt_perf_bench")
    env = {**os.environ, **bench_env(db_name)}
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    static_root = Path(env["STATIC_ROOT"])
    if not (static_root / "staticfiles.json").exists():
        call_command("collectstatic", "--no-input", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        # What autovacuum does on a server (it is off on the CI machines' PostgreSQL): the
        # generation's and a previous run's rolled-back import left dead row versions behind.
        cursor.execute("VACUUM ANALYZE")
    from core.page_cache import clear_page_cache

    clear_page_cache()
    from directory.models import DirectoryEntry
    from events.models import EventPage
    from news.models import ArticlePage

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    out(f"# Benchmark run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    out()
    out(
        f"Machine: {os.cpu_count()} cores ({cpu}), "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}, database {db_name} (PostgreSQL), Redis cache."
    )
    out(
        f"Volumes: {DirectoryEntry.objects.count()} directory entries, "
        f"{ArticlePage.objects.count()} articles, {EventPage.objects.count()} events."
    )
    out(
        f"Machine speed now: {machine_speed():.0f} ms for a fixed pure-Python loop, at the start "
        "(147 to 230 ms on one idle machine of this kind on 2026-12-06; the server times below, "
        "in milliseconds, follow it; the ratios to the bare view do not)."
    )
    out()
    urls = sample_urls(newest=True)  # the generated volumes' pages
    server = server_side(urls)
    urls = {k: v for k, v in urls.items() if k in server}
    ratios, rss, sizes = over_http(env, urls)

    generate_file = ROOT / "var" / "bench-generate.txt"
    timings = (
        dict(line.split() for line in generate_file.read_text().splitlines())
        if generate_file.exists()
        else {}
    )
    out("## Import and search index")
    out()
    import_seconds, imported = measure_import(10_000)
    out(
        f"- Import of {imported:,} new directory rows (`manage.py import_directory`, CSV in our export "
        f"format, every row a creation; search index updated): {import_seconds:.1f} s "
        "(inside a transaction rolled back afterwards, so the volumes stay as generated)."
    )
    if timings:
        out(
            f"- Bulk generation of the pages: {float(timings['pages']):.1f} s; "
            f"search index rebuild (`update_index`, all pages): {float(timings['update_index']):.1f} s."
        )
    out()
    out(f"Machine speed at the end: {machine_speed():.0f} ms for the same loop.")
    out()
    out("## Goals (issue 16)")
    out()
    seen_again = max(q for q, _, _, _ in server.values() if q is not None)
    first_view = max(f for _, _, _, f in server.values() if f is not None)
    worst = max(seen_again, first_view)
    never_cached = ("bare", "directory search", "site search")
    cached_min = min(r[1] for k, r in ratios.items() if k not in never_cached)

    def ratio_check(labels, goal):
        figures = {label: ratios[label][0] for label in labels if label in ratios}
        missing = [label for label in labels if label not in ratios]
        met = bool(figures) and not missing and min(figures.values()) >= goal
        text = ", ".join(f"{label} {value:.1%}" for label, value in figures.items())
        return met, text + (f"; not measured: {', '.join(missing)}" if missing else "")

    item_met, item_text = ratio_check(ITEM_PAGES, GOALS["uncached_item_ratio"])
    index_met, index_text = ratio_check(INDEX_PAGES, GOALS["uncached_index_ratio"])
    search_http_met, search_http_text = ratio_check(("site search",), GOALS["site_search_ratio"])
    site_p95 = server["site search"][2] if "site search" in server else float("inf")
    new_query_p95 = server.get("site search, new query", (None, 0, float("inf"), None))[2]
    after = server.get("directory search after publication", (None, 0, float("inf"), None))[2]
    checks = [
        (
            f"uncached article, event, actor and place pages ≥ {GOALS['uncached_item_ratio']:.0%} of the ceiling each",
            item_met,
            item_text,
        ),
        (
            f"uncached home, news index, agenda, directory index ≥ {GOALS['uncached_index_ratio']:.0%} of the ceiling",
            index_met,
            index_text,
        ),
        (
            f"site search p95 ≤ {GOALS['site_search_p95_ms']} ms server time (a query repeated, "
            "and a query seen for the first time)",
            max(site_p95, new_query_p95) <= GOALS["site_search_p95_ms"],
            f"repeated {site_p95:.1f} ms, first time {new_query_p95:.1f} ms",
        ),
        (
            f"site search over HTTP ≥ {GOALS['site_search_ratio']:.0%} of the ceiling",
            search_http_met,
            search_http_text,
        ),
        (
            f"directory search right after a publication p95 ≤ {GOALS['directory_search_after_publication_p95_ms']} ms",
            after <= GOALS["directory_search_after_publication_p95_ms"],
            f"{after:.1f} ms",
        ),
        (
            f"worker RSS ≤ {GOALS['rss_mb']} MB",
            bool(rss) and max(rss) <= GOALS["rss_mb"],
            f"max {max(rss or [0]):.0f} MB",
        ),
        (
            "import of 10,000 rows ≤ 30 s",
            import_seconds <= GOALS["import_s"],
            f"{import_seconds:.1f} s for {imported:,} rows",
        ),
        (
            f"every public page ≤ {GOALS['queries']} SQL queries (seen again, and first view after a publication)",
            worst <= GOALS["queries"],
            f"max {worst}: seen again {seen_again}, first view after a publication {first_view}",
        ),
        (
            f"pages served from the page cache ≥ {GOALS['cached_ratio']:.0%} of the ceiling",
            cached_min >= GOALS["cached_ratio"],
            f"min {cached_min:.0%}; searches are never cached, by design",
        ),
    ]
    for goal, met, figure in checks:
        out(f"- {goal}: **{'met' if met else 'not met'}** ({figure})")
    out()
    home_kb = sizes["home"][0]
    out(
        f"Earlier goal (issue 7), for the record: home {home_kb:.1f} KB HTML + CSS + JS (goal ≤ 150 KB)."
    )
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "bench-last-run.md").write_text("\n".join(LINES) + "\n")


if __name__ == "__main__":
    main()
