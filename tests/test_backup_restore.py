"""make backup / make restore: a site that has lived (pages created, copied, moved, deleted,
translated, moderated; a registration; an image with its rendition; a private document)
round-trips through one archive into an empty database and an empty media store:

- on the portable path (dumpdata, any engine; media on disk), with a restore into SQLite;
- on PostgreSQL (one pg_dump snapshot) with the media on S3 (moto's server on loopback).
"""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.backup_life import live_a_little, summary
from tests.conftest import postgres_only

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"


def manage(env, *args, timeout=600):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
    return result.stdout


def summary_in(env):
    out = manage(env, "shell", "-c", "from tests.backup_life import print_summary; print_summary()")
    line = [row for row in out.splitlines() if row.startswith("SUMMARY ")][-1]
    return json.loads(line.removeprefix("SUMMARY "))


def base_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DATABASE_URL", "MEDIA_ROOT", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        LOG_LEVEL="WARNING",
        WAGTAIL_LOG_LEVEL="WARNING",
        TASKS_BACKEND="immediate",
        **extra,
    )
    return env


def assert_same_site(restored, expected):
    assert expected["deleted_pages_log_entries"] > 0, "a deleted page's history should be there"
    assert expected["workflow_states"] and expected["documents"] and expected["renditions"]
    for key in expected:
        assert restored[key] == expected[key], key


@pytest.mark.django_db
def test_a_lived_site_round_trips_through_the_portable_backup_into_an_empty_sqlite_database(
    tmp_path, demo
):
    live_a_little()
    expected = summary()
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", str(archive), portable=True, stdout=open(os.devnull, "w"))  # noqa: SIM115

    env = base_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}", MEDIA_ROOT=str(tmp_path / "media")
    )
    assert "Restored" in manage(env, "restore_site", str(archive), "--no-input")
    assert_same_site(summary_in(env), expected)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)


@postgres_only
def test_a_lived_site_on_postgresql_and_s3_round_trips_through_pg_dump_into_a_fresh_database_and_bucket(
    tmp_path,
):
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    credentials = {
        "AWS_ACCESS_KEY_ID": "backup-test",
        "AWS_SECRET_ACCESS_KEY": "backup-test-secret",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }
    s3 = boto3.client(
        "s3",
        endpoint_url=credentials["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="backup-test",
        aws_secret_access_key="backup-test-secret",
    )
    for bucket in ("site-images", "site-documents", "fresh-images", "fresh-documents"):
        s3.create_bucket(Bucket=bucket)
    databases = ["ops_stack_backup_src", "ops_stack_backup_dst"]
    try:
        for name in databases:
            psql(f"DROP DATABASE IF EXISTS {name}")
            psql(f"CREATE DATABASE {name}")
        source = base_env(
            DATABASE_URL=f"{PG}/{databases[0]}",
            AWS_STORAGE_BUCKET_NAME="site-images",
            AWS_PRIVATE_BUCKET_NAME="site-documents",
            **credentials,
        )
        manage(source, "migrate", "--no-input", "-v", "0")
        manage(
            source, "shell", "-c", "from tests.backup_life import live_a_little; live_a_little()"
        )
        expected = summary_in(source)
        # The private document went to the private bucket, the image to the public one.
        private_keys = [o["Key"] for o in s3.list_objects_v2(Bucket="site-documents")["Contents"]]
        public_keys = [o["Key"] for o in s3.list_objects_v2(Bucket="site-images")["Contents"]]
        assert private_keys == ["documents/compte-rendu.pdf"]
        assert any(k.startswith("original_images/") for k in public_keys)
        assert not any(k.startswith("documents/") for k in public_keys)

        archive = tmp_path / "site.tar.gz"
        out = manage(source, "backup_site", str(archive))
        assert "pg_dump snapshot" in out

        target = {
            **source,
            "DATABASE_URL": f"{PG}/{databases[1]}",
            "AWS_STORAGE_BUCKET_NAME": "fresh-images",
            "AWS_PRIVATE_BUCKET_NAME": "fresh-documents",
        }
        assert "Restored the PostgreSQL snapshot" in manage(
            target, "restore_site", str(archive), "--no-input"
        )
        assert_same_site(summary_in(target), expected)
        restored_private = s3.list_objects_v2(Bucket="fresh-documents")["Contents"]
        assert [o["Key"] for o in restored_private] == ["documents/compte-rendu.pdf"]
    finally:
        server.stop()
        for name in databases:
            psql(f"DROP DATABASE IF EXISTS {name}")


def test_a_postgresql_snapshot_is_refused_by_another_engine_with_a_clear_message(tmp_path):
    import io
    import tarfile

    archive = tmp_path / "pg.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in (
            ("manifest.json", json.dumps({"format": 2, "created": "now"}).encode()),
            ("database.dump", b"PGDMP"),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    env = base_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEDIA_ROOT=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_site", str(archive), "--no-input"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "PostgreSQL snapshot" in result.stderr and "Traceback" not in result.stderr


def test_restore_refuses_a_missing_archive(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup archive"):
        call_command("restore_site", str(tmp_path / "absent.tar.gz"), no_input=True)


def test_old_archives_are_deleted_after_the_retention_period(tmp_path):
    from core.backup import prune_backups

    old, recent, other = (tmp_path / n for n in ("site-old.tar.gz", "site-new.tar.gz", "x.txt"))
    for file in (old, recent, other):
        file.write_bytes(b"x")
    os.utime(old, (0, 0))
    os.utime(other, (0, 0))
    assert prune_backups(tmp_path, 14) == [old]
    assert recent.exists() and other.exists()
