"""Back up and restore the whole site (database and media) as one .tar.gz archive.

The database goes through Django's serialisation (dumpdata with natural keys), so a backup taken
on SQLite restores on PostgreSQL and the other way round. Tables that are rebuilt rather than
restored: content types (recreated by migrate and matched by natural key), sessions, the search index
(rebuilt by ``update_index`` after the restore).
"""

import io
import json
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection

FORMAT_VERSION = 1
EXCLUDED = [
    "contenttypes",
    "sessions",
    "admin.logentry",
    "axes",
    "wagtailsearch.indexentry",
    "wagtailcore.referenceindex",
]


def create_backup(destination: Path) -> dict:
    data = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=EXCLUDED,
        format="json",
        stdout=data,
    )
    payload = data.getvalue().encode()
    media_root = Path(settings.MEDIA_ROOT)
    media_files = (
        sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    )
    manifest = {
        "format": FORMAT_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "database_engine": connection.vendor,
        "objects": len(json.loads(payload)),
        "media_files": len(media_files),
    }
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(destination, "w:gz") as archive:
        for name, content in (
            ("manifest.json", json.dumps(manifest, indent=1).encode()),
            ("data.json", payload),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        for file in media_files:
            archive.add(file, arcname=f"media/{file.relative_to(media_root).as_posix()}")
    return manifest


def clear_sqlite_search_index():
    """flush empties the search index table but not SQLite's FTS5 shadow table: empty it too."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%indexentry_fts'"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 - table names from the schema


def restore_backup(source: Path, stdout=None) -> dict:
    """Replace the database content and the media files by the archive's."""
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r:gz") as archive:
        archive.extractall(tmp, filter="data")
        tmp = Path(tmp)
        manifest = json.loads((tmp / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError(f"unknown backup format {manifest.get('format')!r}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        # Permissions come from the archive (some are made by data migrations, not by flush).
        Permission.objects.all().delete()
        call_command("loaddata", str(tmp / "data.json"), verbosity=0)
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        for file in sorted((tmp / "media").rglob("*")) if (tmp / "media").exists() else []:
            if file.is_file():
                target = media_root / file.relative_to(tmp / "media")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.read_bytes())
    clear_sqlite_search_index()
    call_command("update_index", verbosity=0, stdout=stdout or io.StringIO())
    return manifest
