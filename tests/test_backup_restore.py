"""make backup / make restore: the whole site (database and media) round-trips through one archive
into an empty database."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

SUMMARY = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from wagtail.models import Page, Revision
from images.models import CustomImage
def digest(f):
    return hashlib.sha256((Path(settings.MEDIA_ROOT) / f.name).read_bytes()).hexdigest()
print(json.dumps({
    "pages": sorted([p.url_path, p.title, p.live, p.locale.language_code] for p in Page.objects.all()),
    "revisions": sorted([r.object_id, str(r.content.get("title"))] for r in Revision.objects.all()),
    "images": sorted([i.title, i.description, i.file.name, digest(i.file)] for i in CustomImage.objects.all()),
}))
"""


def summary_here():
    from django.conf import settings
    from wagtail.models import Page, Revision

    from images.models import CustomImage

    def digest(f):
        return hashlib.sha256((Path(settings.MEDIA_ROOT) / f.name).read_bytes()).hexdigest()

    return json.loads(
        json.dumps(
            {
                "pages": sorted(
                    [p.url_path, p.title, p.live, p.locale.language_code]
                    for p in Page.objects.all()
                ),
                "revisions": sorted(
                    [r.object_id, str(r.content.get("title"))] for r in Revision.objects.all()
                ),
                "images": sorted(
                    [i.title, i.description, i.file.name, digest(i.file)]
                    for i in CustomImage.objects.all()
                ),
            }
        )
    )


@pytest.mark.django_db
def test_a_backup_restores_into_an_empty_database_with_the_same_pages_revisions_and_images(
    tmp_path, demo
):
    # A draft revision, so that the backup holds more than the published state.
    page = demo["home"].get_children().get(slug="le-reseau").specific
    page.title = "Le réseau (brouillon sauvegardé)"
    page.save_revision()

    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115
    expected = summary_here()
    assert expected["images"], "the demo should have images to back up"

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    restore = subprocess.run(
        [sys.executable, "manage.py", "restore_site", str(archive), "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert restore.returncode == 0, restore.stderr[-3000:]
    assert "Restored" in restore.stdout

    shown = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SUMMARY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr[-3000:]
    restored = json.loads(shown.stdout.strip().splitlines()[-1])
    assert restored["pages"] == expected["pages"]
    assert restored["revisions"] == expected["revisions"]
    assert restored["images"] == expected["images"]


def test_restore_refuses_a_missing_archive(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup archive"):
        call_command("restore_site", str(tmp_path / "absent.tar.gz"), no_input=True)
