"""Base settings: safe for production; ``dev`` and ``test`` relax them.

Everything that differs between installs is read from the environment.
The only built-in defaults are a SQLite file and the local-memory cache.
"""

import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.origins import tile_origin

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so that their templates and translations win.
    "users",
    "images",
    "core",
    "taxonomy",
    "home",
    "directory",
    "directory.commons",
    "news",
    "events",
    "dossiers",
    "members",
    "search",
    "contact",
    "stats",
    "subscriptions",
    "moderation",
    # Wagtail and friends
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    # Second factor for staff (users/two_factor.py): TOTP devices and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Database queue of background tasks (used when TASKS_BACKEND=database).
    "django_tasks_db",
]

MIDDLEWARE = [
    # /healthz for the load balancer, before everything (core/health.py).
    "core.health.HealthCheckMiddleware",
    "core.request_id.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.security.RejectNullBytesMiddleware",
    "core.security.SiteCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole pages for anonymous visitors (core/page_cache.py): before sessions, after static files.
    "core.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(); then staff without a verified second factor are sent to it.
    "django_otp.middleware.OTPMiddleware",
    "users.two_factor.SecondFactorMiddleware",
    # The language tree a member editor's page explorer opens on (members/explorer.py).
    "members.explorer.ExplorerLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.middleware.UntranslatedPageFallbackMiddleware",
    # Wagtail pages routed in two queries rather than two per URL segment (core/routing.py).
    "core.routing.FastRoutingMiddleware",
    # Last: django-axes must see the authentication attempts of the views above it.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL, e.g. postgres://user:pass@127.0.0.1:5432/baronnies
# Without it, a SQLite file in var/ (nothing to install).
DEFAULT_SQLITE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE_URL),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
IS_SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
if IS_SQLITE:
    # A SQLite file is not shared between threads of the dev server: no persistent connections.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Concurrent use (several gunicorn workers and threads, the task worker, commands): WAL lets
    # readers go on while one writer writes; IMMEDIATE takes the write lock when a transaction
    # starts, so two writers queue (for up to "timeout" seconds) instead of failing with
    # "database is locked" halfway through; synchronous=NORMAL is safe with WAL.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA cache_size=-20000;"
            "PRAGMA mmap_size=134217728;"
            "PRAGMA journal_size_limit=67108864;"
        ),
    }
    (BASE_DIR / "var").mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "baronnies",
            "OPTIONS": {
                # A Redis outage must not take the site down: cache errors are
                # logged and the page is computed instead.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # No Redis: files under var/cache/, which every process on the machine shares (gunicorn
    # workers, the task worker, commands and the scheduler), so a publication made anywhere shows
    # everywhere at once. Never per-process local memory.
    CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / "var" / "cache"))
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(CACHE_DIR / "default"),
            "KEY_PREFIX": "baronnies",
            "OPTIONS": {"MAX_ENTRIES": 20_000, "CULL_FREQUENCY": 4},
        }
    }
CACHES["renditions"] = {
    **CACHES["default"],
    "KEY_PREFIX": "renditions",
    **({"LOCATION": str(CACHE_DIR / "renditions")} if not REDIS_URL else {}),
}

# Sessions in the database, read through the cache: app servers keep no state of their own.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Full-page cache for anonymous visitors (core/page_cache.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "3600"))
# Views cached besides Wagtail pages and their routes (feeds, directory exports): their URL names.
PAGE_CACHE_URL_NAMES = []
# Cookies that change nothing on a page without a form (pages with a CSRF token are never cached).
PAGE_CACHE_IGNORED_COOKIES = ["csrftoken"]
# Models, besides pages, snippets, settings, images and documents, whose changes clear the cache.
# A translation source's synchronisation can make a live translation current again (its notice).
PAGE_CACHE_INVALIDATING_MODELS = [
    "members.Organisation",
    "wagtail_localize.TranslationSource",
    # Promoted search results: the site search keeps them for the content version.
    "wagtailsearchpromotions.SearchPromotion",
]
# A bare view at /bench/bare/ for the benchmark's ceiling (bench/run.py); never on a real site.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)
# Members' own calendars (events/importer.py): refuse loopback and private addresses unless allowed.
CALENDAR_IMPORT_ALLOW_PRIVATE = env_bool("CALENDAR_IMPORT_ALLOW_PRIVATE", False)

# --- Authentication -------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Second factor (django-otp, users/two_factor.py). When True, superusers and "Équipe du Parc"
# cannot use the admin until they have confirmed a TOTP device and entered a token at login.
# Anyone else who enrolled a device (member editors may, from their account) is asked for it too.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", True)
OTP_TOTP_ISSUER = "Innover en Baronnies"
# Recovery codes given at enrolment (each works once).
OTP_RECOVERY_CODES = 10

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "assets"]
# Leaflet (directory maps) from the xstatic-leaflet package, served as /static/leaflet/…
import xstatic.pkg.leaflet  # noqa: E402

STATICFILES_DIRS.append(("leaflet", xstatic.pkg.leaflet.BASE_DIR))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible object storage through django-storages (core/storage.py): images and
    # renditions in a public bucket, documents in a private one, served only through Django.
    _S3_COMMON = {
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        # Never overwrite an uploaded file that has the same name.
        "file_overwrite": False,
        "default_acl": None,
    }
    STORAGES["default"] = {
        "BACKEND": "core.storage.MediaStorage",
        "OPTIONS": {
            "public": {
                **_S3_COMMON,
                "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                "querystring_auth": False,
            },
            "private": {
                **_S3_COMMON,
                "bucket_name": os.environ.get("AWS_PRIVATE_BUCKET_NAME")
                or os.environ["AWS_STORAGE_BUCKET_NAME"],
                # A private file's URL is signed and short-lived; no CDN domain in front of it.
                "custom_domain": None,
                "querystring_auth": True,
                "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "300")),
            },
        },
    }
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Email ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Innover en Baronnies <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Who receives server errors (500s) by e-mail: ADMINS="Name <a@example.org>,Other <b@example.org>".
ADMINS = [(name, addr) for name, addr in getaddresses([os.environ.get("ADMINS", "")]) if addr]
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

# --- Security (secure by default; dev relaxes) ------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp 4; core.security.SiteCSPMiddleware picks the policy by path).
# Public pages: no inline script or style, nothing from another host except embedded videos.
# A view that may be framed elsewhere uses core.security.allow_framing (docs/security.md).
_CSP_MEDIA_HOSTS = [f"https://{h}" for h in env_list("AWS_S3_CUSTOM_DOMAIN")]
# The directory maps' tile server (MAP_TILE_URL below): exactly its scheme, host and port.
try:
    _CSP_TILE_HOSTS = [o for o in [tile_origin(os.environ.get("MAP_TILE_URL", ""))] if o]
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_CSP_MEDIA_HOSTS, *_CSP_TILE_HOSTS],
        "media-src": ["'self'", *_CSP_MEDIA_HOSTS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
            *env_list("CSP_EXTRA_FRAME_SRC"),
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin runs inline scripts and styles and frames its own previews.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https:"],
        "media-src": ["'self'", "blob:", *_CSP_MEDIA_HOSTS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Served documents are never active content: no script, no plugin, sandboxed.
DOCUMENT_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "sandbox": [True],
    }
}
# No browser feature the site does not use (django-permissions-policy).
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}

# --- Client address ------------------------------------------------------------
# Number of trusted reverse proxies in front of the application (nginx: 1). 0: REMOTE_ADDR is the
# client. N: the N-th address from the right of X-Forwarded-For, so a client's own X-Forwarded-For
# never counts (core/client_ip.py). Used by rate limits, the login lockout and the logs.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

# --- Login throttling (django-axes) ----------------------------------------------
AUTHENTICATION_BACKENDS = [
    "core.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))  # hours
# Lock a login name from one address; a wrong password from elsewhere does not lock the owner out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
# The client address comes from core.client_ip (PROXY_COUNT below), as for the rate limits.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Innover en Baronnies provençales"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "images.CustomImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "csv", "txt"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploads (docs/security.md): documents are size-limited and sniffed for HTML/SVG, and always served
# as downloads (Content-Disposition: attachment) with nosniff and a sandboxing CSP.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "core.uploads.SafeDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The admin asks no third-party host for anything: no Gravatar; users without an uploaded avatar
# get their initials (users/wagtail_hooks.py).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_AUTO_UPDATE_PREVIEW = True
# Translations of live pages are not published at once: they go through moderation.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False


def machine_translator_from_env():
    """A first draft for translators (docs/editorial.md): LibreTranslate when
    LIBRETRANSLATE_URL is set (LIBRETRANSLATE_API_KEY if the server wants one), else DeepL when
    DEEPL_AUTH_KEY is set, else none (no "Translate automatically" button). The draft is only a
    suggestion in the editor: the translation still goes through moderation."""
    timeout = int(os.environ.get("MACHINE_TRANSLATION_TIMEOUT", "10"))
    if os.environ.get("LIBRETRANSLATE_URL"):
        return {
            "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
            "OPTIONS": {
                "LIBRETRANSLATE_URL": os.environ["LIBRETRANSLATE_URL"].rstrip("/"),
                "API_KEY": os.environ.get("LIBRETRANSLATE_API_KEY", ""),
                "TIMEOUT": timeout,
            },
        }
    if os.environ.get("DEEPL_AUTH_KEY"):
        return {
            "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
            "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_AUTH_KEY"], "TIMEOUT": timeout},
        }
    return None


WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_from_env()

WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "AUTO_UPDATE": True,
        # On PostgreSQL: French stemming that also ignores accents
        # (configuration created by core/migrations/0002_french_unaccent_search.py).
        **({"SEARCH_CONFIG": "french_unaccent"} if IS_POSTGRES else {}),
    }
}

# Tile server for the directory maps, e.g. https://tile.example.org/{z}/{x}/{y}.png (with its
# attribution in MAP_TILE_ATTRIBUTION; IGN's "Plan IGN": docs/directory.md). The public CSP's img-src
# allows its origin. Empty: markers on a plain background, no third-party request.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
# Renditions are stored with the media (S3 when configured); their lookups use the "renditions"
# cache alias (Wagtail uses it when it exists).
WAGTAILIMAGES_RENDITION_STORAGE = "default"
# Make the renditions of a new image in a background task right after its upload (core/apps.py).
IMAGES_PREPARE_RENDITIONS = env_bool("IMAGES_PREPARE_RENDITIONS", True)

# --- Background tasks (Django's task framework, django-tasks backport) ------------
# "immediate" (development, tests): tasks run in the request. "database" (production): tasks are
# stored by django-tasks-db and run by one or more `manage.py db_worker` processes.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'.")

# --- Frontend cache purge (Varnish or a CDN), off unless configured -------------
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_VARNISH_URL"):
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_VARNISH_URL"],
    }
if os.environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": os.environ["FRONTEND_CACHE_CLOUDFLARE_ZONEID"],
        "BEARER_TOKEN": os.environ.get("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN", ""),
    }
if os.environ.get("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"):
    # AWS credentials come from the usual AWS_* environment variables.
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": os.environ["FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"],
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # One JSON object a line, with the request id (core/request_id.py).
        "json": {"()": "core.request_id.JSONFormatter"},
    },
    "filters": {
        "request_id": {"()": "core.request_id.RequestIDFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # LOG_FORMAT=plain for human-readable lines; dev uses plain.
            "formatter": os.environ.get("LOG_FORMAT", "json"),
            "filters": ["request_id"],
        },
        # Server errors e-mailed to ADMINS (none when ADMINS is empty; never with DEBUG on).
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default "django" handlers: one mail per error, lines on the console (root).
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.request": {"level": "ERROR"},
        # Cache errors ignored by django-redis (IGNORE_EXCEPTIONS) are logged here, not raised.
        "django_redis": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "INFO")},
        "wagtail.contrib.redirects": {"level": "WARNING"},
    },
}

# --- Error reports to Sentry: only when SENTRY_DSN is set (nothing imported or sent otherwise) ---
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        # No visitor data: no cookies, no IP addresses, no user names.
        send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )


def require_secret_key(value):
    """Refuse to start with a missing or trivial SECRET_KEY (used by production settings)."""
    if not value or len(value) < 50 or value.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or too short. Set the SECRET_KEY environment variable to "
            "a random string of at least 50 characters, for example the output of: "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
    return value


# Forms built by staff (contact app): retention of submissions and spam protection.
FORM_SUBMISSION_RETENTION_DAYS = int(os.environ.get("FORM_SUBMISSION_RETENTION_DAYS", "365"))
FORM_MIN_SECONDS = 3  # a person takes longer than this to fill in a form
FORM_RATE_LIMIT = 5  # submissions per IP address…
FORM_RATE_WINDOW = 600  # …per this many seconds
# Zero-result searches (search.ZeroResultQuery) not seen for this long are forgotten
# (prune_zero_result_queries, run daily by deploy/baronnies-prune-zero-result-queries.timer).
ZERO_RESULT_QUERY_MAX_AGE_DAYS = int(os.environ.get("ZERO_RESULT_QUERY_MAX_AGE_DAYS", "180"))

# E-mail subscriptions (subscriptions/): retention of addresses that are not (or no longer) subscribed.
SUBSCRIPTIONS_CONFIRM_DAYS = int(os.environ.get("SUBSCRIPTIONS_CONFIRM_DAYS", "7"))
SUBSCRIPTIONS_PENDING_DAYS = int(os.environ.get("SUBSCRIPTIONS_PENDING_DAYS", "30"))
SUBSCRIPTIONS_UNSUBSCRIBED_DAYS = int(os.environ.get("SUBSCRIPTIONS_UNSUBSCRIBED_DAYS", "30"))
SUBSCRIPTIONS_BATCH_SIZE = int(os.environ.get("SUBSCRIPTIONS_BATCH_SIZE", "100"))
# Public base URL of the links in the e-mails (defaults to WAGTAILADMIN_BASE_URL).
SUBSCRIPTIONS_BASE_URL = os.environ.get("SUBSCRIPTIONS_BASE_URL", "")
