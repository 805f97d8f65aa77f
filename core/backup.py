"""Back up and restore the whole site (database and media) as one .tar.gz archive.

Database:
- on PostgreSQL, one consistent snapshot taken by ``pg_dump`` (custom format, ``database.dump``),
  restored by ``pg_restore`` into an emptied schema;
- elsewhere, or with ``portable=True``, Django's serialisation (``dumpdata`` with natural keys,
  ``data.json``, read in one transaction) so that a backup taken on SQLite restores on PostgreSQL
  and the other way round. Tables rebuilt rather than restored on that path: content types
  (recreated by migrate and matched by natural key), sessions, the search index (rebuilt by
  ``update_index`` after the restore). References to deleted rows that Wagtail keeps on purpose
  (the log entries of deleted pages) are kept (core/backup_serializer.py).

Media: every file of the default storage, read and written through Django's storage API, so the
same code backs up ``MEDIA_ROOT`` on disk and the buckets of S3-compatible storage.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth.models import Permission
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction

FORMAT_VERSION = 2
READABLE_FORMATS = {1, 2}
EXCLUDED = [
    "contenttypes",
    "sessions",
    "admin.logentry",
    "axes",
    "wagtailsearch.indexentry",
    "wagtailcore.referenceindex",
]
ARCHIVE_PATTERN = "site-*.tar.gz"

serializers.register_serializer("backup_json", "core.backup_serializer")


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why."""


# --- media through the storage API ---------------------------------------------------------------


def storage_files(storage=None, path=""):
    """Every file name in ``storage`` (recursively), sorted."""
    storage = storage or default_storage
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return []
    names = [f"{path}/{f}" if path else f for f in files]
    for folder in dirs:
        names.extend(storage_files(storage, f"{path}/{folder}" if path else folder))
    return sorted(names)


def media_digest(storage=None):
    """{name: sha256} of every media file: what a restore must give back."""
    storage = storage or default_storage
    digests = {}
    for name in storage_files(storage):
        with storage.open(name, "rb") as handle:
            digests[name] = hashlib.sha256(handle.read()).hexdigest()
    return digests


# --- PostgreSQL ---------------------------------------------------------------------------------


def pg_environment():
    settings_dict = connection.settings_dict
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env, settings_dict["NAME"]


def pg_dump(target: Path):
    binary = shutil.which("pg_dump")
    if not binary:
        raise BackupError("pg_dump is not installed (Debian package postgresql-client).")
    env, name = pg_environment()
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [binary, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", name],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def pg_restore(dump: Path):
    if connection.vendor != "postgresql":
        raise BackupError(
            "This archive holds a PostgreSQL snapshot (pg_dump): restore it on PostgreSQL, or take "
            "a portable backup (backup_site --portable) to change database engines."
        )
    binary = shutil.which("pg_restore")
    if not binary:
        raise BackupError("pg_restore is not installed (Debian package postgresql-client).")
    # Into an empty database: the schema is dropped and made again (the database's owner may).
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    env, name = pg_environment()
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [
            binary,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={name}",
            str(dump),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


# --- backup ----------------------------------------------------------------------------------------


def _add_bytes(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(time.time())
    archive.addfile(info, io.BytesIO(content))


def create_backup(destination: Path, portable=False) -> dict:
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    use_pg_dump = connection.vendor == "postgresql" and not portable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if use_pg_dump:
            database_file, objects = tmp / "database.dump", None
            pg_dump(database_file)
        else:
            database_file = tmp / "data.json"
            # One read transaction: one state of the database, even while the site is used.
            with transaction.atomic(), database_file.open("w") as out:
                call_command(
                    "dumpdata",
                    natural_foreign=True,
                    exclude=EXCLUDED,
                    format="backup_json",
                    stdout=out,
                )
            objects = len(json.loads(database_file.read_text()))
        media = storage_files()
        manifest = {
            "format": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "database_engine": connection.vendor,
            "database": "pg_dump" if use_pg_dump else "dumpdata",
            "objects": objects,
            "media_files": len(media),
            "media_bytes": 0,
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(database_file, arcname=database_file.name)
            for name in media:
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
                manifest["media_bytes"] += len(content)
                _add_bytes(archive, f"media/{name}", content)
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
        partial.replace(destination)  # a half-written archive never looks like a backup
    return manifest


def prune_backups(folder: Path, retention_days: int, keep: Path | None = None) -> list[Path]:
    """Delete the archives of ``folder`` older than ``retention_days``; return them."""
    limit = time.time() - retention_days * 86400
    removed = []
    for archive in sorted(Path(folder).glob(ARCHIVE_PATTERN)):
        if archive != keep and archive.stat().st_mtime < limit:
            archive.unlink()
            removed.append(archive)
    return removed


# --- restore --------------------------------------------------------------------------------------


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


def restore_media(folder: Path):
    """Write every file under ``folder`` to the default storage under its exact name."""
    count = 0
    for file in sorted(folder.rglob("*")) if folder.exists() else []:
        if not file.is_file():
            continue
        name = file.relative_to(folder).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(file.read_bytes()))
        if saved != name:
            raise BackupError(f"media file {name} was stored as {saved}")
        count += 1
    return count


def restore_backup(source: Path, stdout=None) -> dict:
    """Replace the database content and the media files by the archive's."""
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r:gz") as archive:
        archive.extractall(tmp, filter="data")
        tmp = Path(tmp)
        manifest = json.loads((tmp / "manifest.json").read_text())
        if manifest.get("format") not in READABLE_FORMATS:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        if (tmp / "database.dump").exists():
            pg_restore(tmp / "database.dump")
            # Migrations newer than the backup, if the code moved on since.
            call_command("migrate", interactive=False, verbosity=0)
        else:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("flush", interactive=False, verbosity=0)
            # Permissions come from the archive (some are made by data migrations, not by flush).
            Permission.objects.all().delete()
            call_command("loaddata", str(tmp / "data.json"), verbosity=0)
            clear_sqlite_search_index()
            call_command("update_index", verbosity=0, stdout=stdout or io.StringIO())
        restore_media(tmp / "media")
    # Pages cached before the restore show the old content: drop them all.
    from core.page_cache import clear_page_cache

    clear_page_cache()
    return manifest
