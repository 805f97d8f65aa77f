"""Development settings: relax the secure base for a local machine."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-" + "x" * 40  # noqa: S105
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "plain")
# The demo's calendar may be served from this machine (docs/news-and-agenda.md).
CALENDAR_IMPORT_ALLOW_PRIVATE = env_bool("CALENDAR_IMPORT_ALLOW_PRIVATE", True)
# The demo accounts (README) log in with their password only; set OTP_REQUIRED_FOR_STAFF=1 to try
# the second factor locally. Tests switch it on with the `settings` fixture.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", False)
