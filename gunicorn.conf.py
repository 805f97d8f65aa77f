"""gunicorn's settings for every run of the site: deploy/baronnies.service, the rehearsal, the
benchmark and the scripts (gunicorn reads ./gunicorn.conf.py from its working directory).

The application is loaded once, in the master process, then the workers are forked from it
(``preload_app``), so they share the pages of the loaded code instead of each loading its own
copy: per worker, RSS 149 → 128 MB and PSS 124 → 70 MB on the benchmark (bench/RESULTS.md).
Consequences:
- new code needs a restart (``systemctl restart baronnies``; the systemd socket keeps the
  connections waiting meanwhile), not a reload: HUP forks new workers from the old code;
- nothing may open a database or Redis connection while the application loads: a connection
  opened in the master would be shared by the workers (tests/test_gunicorn_preload.py checks it).
"""

import gc

preload_app = True


def when_ready(server):
    """Before the first fork: load what every worker would load on its first request (the
    URLconf and the views it imports, the message catalogues, the cache clients), then move
    every object loaded so far out of the garbage collector's reach, so that a collection in a
    worker does not write to (and so copy) the shared pages."""
    from django.conf import settings
    from django.core.cache import caches
    from django.urls import reverse
    from django.utils import translation

    reverse("robots_txt")  # imports the URLconf and builds its reverse map
    for language, _name in settings.LANGUAGES:
        translation.trans_real.translation(language)
    for alias in settings.CACHES:
        caches[alias]  # imports the Redis client; it connects on first use, in a worker
    gc.collect()
    gc.freeze()
