"""The page cache keys on the parameters a page reads, and every process shares it.

- Junk query strings (utm_*, fbclid, random names and values) map to the page's one entry:
  1,000 such requests add at most a handful of entries.
- A real filter (a theme of the news listing) has its own entry.
- A change made by another process (``manage.py shell``, as publish_scheduled, the importer or the
  task worker would) shows at once: the file cache under the settings' CACHE_DIR is shared.
"""

import os
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection

from core import page_cache

ROOT = Path(__file__).parent.parent


def junk_query(rng):
    word = lambda n: "".join(rng.choices(string.ascii_lowercase + string.digits, k=n))  # noqa: E731
    pairs = [
        (
            rng.choice(["utm_source", "utm_medium", "utm_campaign", "fbclid", "gclid", "ref"]),
            word(8),
        ),
        (word(rng.randint(1, 12)), word(rng.randint(0, 20))),
    ]
    rng.shuffle(pairs)
    return "&".join(f"{k}={v}" for k, v in pairs[: rng.randint(1, 2)])


def entries():
    return len(cache._cache)  # the test settings' local-memory cache


@pytest.mark.django_db
def test_a_thousand_junk_query_strings_add_a_handful_of_entries(client, settings):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    rng = random.Random(11)
    paths = ["/le-reseau/", "/actualites/", "/agenda/", "/annuaire/", "/"]
    for path in paths:  # the bare pages, stored once
        assert client.get(path).status_code == 200
    before = entries()
    hits = 0
    for n in range(1000):
        path = paths[n % len(paths)]
        if n % 40 == 0:
            # A value the page corrects (page number, unknown theme): served, not stored.
            query = rng.choice([f"page={rng.random()}", f"theme=zz{rng.randint(0, 10**9)}"])
        else:
            query = junk_query(rng)
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)
        hits += response.get(page_cache.HEADER) == "hit"
    added = entries() - before
    # One small "which parameters" entry per path, at most.
    assert added <= len(paths), added
    assert hits >= 900, hits


@pytest.mark.django_db
def test_parameters_a_page_reads_keep_their_own_entry(client, settings):
    from taxonomy.models import Theme

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    theme = Theme.objects.filter(locale__language_code="fr").first()
    bare = client.get("/actualites/")
    filtered = client.get(f"/actualites/?theme={theme.slug}")
    assert filtered[page_cache.HEADER] == "miss"
    assert client.get(f"/actualites/?utm_source=x&theme={theme.slug}")[page_cache.HEADER] == "hit"
    assert client.get("/actualites/?utm_source=x")[page_cache.HEADER] == "hit"
    assert filtered.content != bare.content
    # The same parameters in another order are the same entry.
    client.get(f"/actualites/?theme={theme.slug}&page=1")
    assert client.get(f"/actualites/?page=1&theme={theme.slug}")[page_cache.HEADER] == "hit"
    # A directory search is never stored; junk alone on the directory is the bare page.
    assert page_cache.HEADER not in client.get("/annuaire/?q=numerique")
    client.get("/annuaire/")
    assert client.get("/annuaire/?fbclid=abc")[page_cache.HEADER] == "hit"


def database_url():
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_an_unpublication_by_another_process_shows_at_once(
    committed_demo, client, settings, tmp_path
):
    from directory.models import ActorPage

    # This process uses the cache the base settings give without Redis: files under CACHE_DIR.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "default"),
            "KEY_PREFIX": "baronnies",
        },
    }
    settings.PAGE_CACHE_ENABLED = True
    actor = ActorPage.objects.live().filter(locale__language_code="fr").first()
    assert client.get("/annuaire/").status_code == 200
    listed = client.get("/annuaire/")
    assert listed[page_cache.HEADER] == "hit"
    assert f'href="{actor.url}"' in listed.content.decode()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url(),
        "CACHE_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    code = (
        f"from directory.models import ActorPage; ActorPage.objects.get(pk={actor.pk}).unpublish()"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    after = client.get("/annuaire/")
    assert after.get(page_cache.HEADER) != "hit"
    assert f'href="{actor.url}"' not in after.content.decode()
