"""Each app's English catalogue translates every interface string of that app."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    "app",
    ["home", "contact", "taxonomy", "dossiers", "search", "users", "subscriptions", "moderation"],
)
def test_app_english_catalogue_is_complete(app):
    po = polib.pofile(str(ROOT / app / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []
