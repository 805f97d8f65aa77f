"""Production settings: base settings plus mandatory environment variables."""

from .base import *  # noqa: F403

SECRET_KEY = require_secret_key(os.environ.get("SECRET_KEY", ""))
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty. Set it to the site's host names, separated by commas."
    )
