"""Test settings: run on SQLite by default, or on PostgreSQL when DATABASE_URL says so."""

from .dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One folder per database: CI runs the SQLite and the PostgreSQL suites side by side.
MEDIA_ROOT = BASE_DIR / "var" / ("test-media" if IS_SQLITE else "test-media-postgresql")  # noqa: F405
if IS_SQLITE:  # noqa: F405
    # A file, not memory: live-server tests (tests/test_concurrency.py) serve requests from several
    # threads, each with its own connection, as gunicorn's workers would.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test"},
    "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"},
}
LOGGING["loggers"]["wagtail"]["level"] = "WARNING"
# The page cache is off for the suite (tests change data without publishing); the page-cache
# tests switch it on.
PAGE_CACHE_ENABLED = False
# Rendition generation after upload is tested on its own (tests/test_tasks.py), not for every image.
IMAGES_PREPARE_RENDITIONS = False
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None  # tests point it at tests/libretranslate_standin.py
