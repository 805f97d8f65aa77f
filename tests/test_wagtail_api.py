"""Wagtail's API v3 is left unbuilt where it is not installed (core/wagtail_api.py, issue 16's
worker memory): its modules stay unloaded, and what else Wagtail's apps do when they start still
takes effect."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from wagtail.contrib.redirects.models import Redirect

from core.wagtail_api import STAND_INS

from .factories import StandardPageFactory

ROOT = Path(__file__).resolve().parent.parent

LOADED = """
import json, sys
import django
django.setup()
from django.urls import reverse
reverse("robots_txt")
print(json.dumps(sorted(name for name in sys.modules if ".api.v3" in name)))
"""


def api_v3_modules_after_start(settings_module, extra_path=None):
    """The names of the API v3 modules loaded by a new process that starts the site (Django set
    up, URLconf imported), and whether each is a stand-in."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module}
    if extra_path:
        env["PYTHONPATH"] = os.pathsep.join([str(extra_path), str(ROOT)])
    result = subprocess.run(
        [sys.executable, "-c", LOADED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_site_starts_without_loading_wagtails_api_v3():
    loaded = api_v3_modules_after_start("config.settings.test")

    assert loaded == set(
        STAND_INS
    )  # the stand-ins only: no router, schema or registry of Wagtail's


def test_wagtails_api_v3_is_built_as_usual_where_it_is_installed(tmp_path):
    (tmp_path / "with_api_v3.py").write_text(
        "from config.settings.test import *  # noqa\n"
        "INSTALLED_APPS = [*INSTALLED_APPS, 'wagtail.api.v3']\n"
    )

    loaded = api_v3_modules_after_start("with_api_v3", extra_path=tmp_path)

    assert {"wagtail.api.v3.routers.pages", "wagtail.images.api.v3.schemas"} <= loaded


@pytest.mark.django_db
def test_a_published_page_renamed_keeps_its_old_address_as_a_redirect(
    django_capture_on_commit_callbacks,
):
    # Connected by wagtail.contrib.redirects' ready(), which imports its API v3 router too.
    page = StandardPageFactory(title="Tiers-lieux du Buis", slug="tiers-lieux-du-buis")
    old_path = page.url

    page.slug = "tiers-lieux-de-buis-les-baronnies"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    redirect = Redirect.objects.get(old_path=Redirect.normalise_path(old_path))
    assert redirect.redirect_page_id == page.pk
