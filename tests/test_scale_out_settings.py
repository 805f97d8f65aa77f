"""Scale-out settings read from the environment: sessions, cache, S3 media, frontend cache purge."""

import importlib

import pytest


def fresh_base():
    # Other tests may have dropped the module from sys.modules: import it anew then.
    return importlib.reload(importlib.import_module("config.settings.base"))


@pytest.fixture
def reload_base(monkeypatch):
    def reload(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return fresh_base()

    yield reload
    monkeypatch.undo()
    fresh_base()


def test_defaults_keep_app_servers_stateless_without_extra_services(reload_base):
    base = reload_base()
    assert base.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    # Without Redis, a file cache that every process of the machine shares (never local memory).
    assert base.CACHES["default"]["BACKEND"].endswith("FileBasedCache")
    assert base.CACHES["default"]["LOCATION"] == str(base.BASE_DIR / "var" / "cache" / "default")
    assert base.CACHES["renditions"]["BACKEND"].endswith("FileBasedCache")
    assert base.CACHES["renditions"]["LOCATION"] != base.CACHES["default"]["LOCATION"]
    assert base.WAGTAILFRONTENDCACHE == {}
    assert "wagtail.contrib.frontend_cache" not in base.INSTALLED_APPS
    assert base.BENCH_BARE_VIEW is False


def test_redis_is_used_when_configured_and_its_errors_are_logged_not_raised(reload_base):
    base = reload_base(REDIS_URL="redis://127.0.0.1:6379/13")
    default = base.CACHES["default"]
    assert default["BACKEND"] == "django_redis.cache.RedisCache"
    assert default["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    assert base.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS is True
    assert base.CACHES["renditions"]["KEY_PREFIX"] == "renditions"
    assert base.CACHES["renditions"]["LOCATION"] == "redis://127.0.0.1:6379/13"


def test_media_go_to_s3_without_overwriting_when_a_bucket_is_set(reload_base):
    base = reload_base(
        AWS_STORAGE_BUCKET_NAME="baronnies-media", AWS_PRIVATE_BUCKET_NAME="baronnies-private"
    )
    assert base.STORAGES["default"]["BACKEND"] == "core.storage.MediaStorage"
    public = base.STORAGES["default"]["OPTIONS"]["public"]
    private = base.STORAGES["default"]["OPTIONS"]["private"]
    assert public["file_overwrite"] is False and private["file_overwrite"] is False
    assert (public["bucket_name"], public["querystring_auth"]) == ("baronnies-media", False)
    # Private documents: another bucket, and any URL to them is signed and short-lived.
    assert (private["bucket_name"], private["querystring_auth"]) == ("baronnies-private", True)
    assert private["querystring_expire"] <= 3600
    assert base.AWS_S3_FILE_OVERWRITE is False
    assert base.WAGTAILIMAGES_RENDITION_STORAGE == "default"


def test_frontend_cache_purge_is_configured_from_the_environment(reload_base):
    base = reload_base(
        FRONTEND_CACHE_VARNISH_URL="http://127.0.0.1:6081",
        FRONTEND_CACHE_CLOUDFLARE_ZONEID="zone",
        FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN="token",
    )
    assert base.WAGTAILFRONTENDCACHE["varnish"]["LOCATION"] == "http://127.0.0.1:6081"
    assert base.WAGTAILFRONTENDCACHE["cloudflare"]["ZONEID"] == "zone"
    assert "wagtail.contrib.frontend_cache" in base.INSTALLED_APPS


def test_an_unknown_tasks_backend_is_refused(reload_base):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        reload_base(TASKS_BACKEND="celery")


@pytest.mark.django_db
def test_the_benchmark_bare_view_is_off_by_default(client):
    assert client.get("/bench/bare/").status_code == 404
