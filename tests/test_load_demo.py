"""load_demo builds the whole demo site, and a second run creates nothing new."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def model_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"wagtailcore", "images", "users", "core", "taxonomy", "home", "auth", "wagtailimages"}
        and not model._meta.label.endswith(
            ("Revision", "LogEntry", "ReferenceIndex", "Task", "ModelLogEntry", "PageLogEntry")
        )
    }


def test_running_load_demo_twice_creates_no_duplicates():
    before = model_counts()
    call_command("load_demo", force=True, stdout=io.StringIO())
    assert model_counts() == before


def test_if_empty_skips_a_site_that_has_content():
    out = io.StringIO()
    call_command("load_demo", if_empty=True, force=True, stdout=out)
    assert "déjà du contenu" in out.getvalue()


@override_settings(DEBUG=False)
def test_load_demo_refuses_to_run_without_debug_unless_forced():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("username", ["admin", "parc", "asoft", "cigale"])
def test_demo_accounts_can_log_in_to_the_admin(client, username):
    user = authenticate(username=username, password="demo-baronnies")
    assert user is not None
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_demo_builds_both_language_trees():
    fr_titles = set(
        Page.objects.filter(locale__language_code="fr", depth=3).values_list("slug", flat=True)
    )
    en_titles = set(
        Page.objects.filter(locale__language_code="en", depth=3).values_list("slug", flat=True)
    )
    assert {
        "annuaire",
        "actualites",
        "agenda",
        "dossiers",
        "le-reseau",
        "accessibilite",
    } <= fr_titles
    assert fr_titles == en_titles


def test_demo_images_are_generated_with_alt_text_and_credit():
    from images.models import CustomImage

    images = CustomImage.objects.all()
    assert images.exists()
    assert all(image.description and image.credit for image in images)
