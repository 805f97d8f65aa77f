"""gunicorn.conf.py loads the application in the master process before forking the workers
(issue 16, worker memory). A database or Redis connection opened while loading would then be
shared by every worker: the master must hold none, and the workers must still reach both."""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
POSTGRES_PORT, REDIS_PORT = 5432, 6379


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(tmp_path):
    """The test run's PostgreSQL server, or a SQLite file of this test's own."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
    return f"sqlite:///{tmp_path / 'preload.sqlite3'}"


def sockets_to(pid, port):
    """The TCP connections of process ``pid`` whose remote port is ``port``."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        match = re.fullmatch(r"socket:\[(\d+)\]", target)
        if match:
            inodes.add(match.group(1))
    found = []
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[9] in inodes:
                found.append(fields[2])
    return found


def open_files(pid):
    files = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            files.append(os.readlink(fd))
        except OSError:
            continue
    return files


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:6379/12",
        "SECURE_SSL_REDIRECT": "off",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        # No --config: gunicorn reads ./gunicorn.conf.py, as deploy/baronnies.service does.
        process = subprocess.Popen(
            [str(GUNICORN), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:  # noqa: S310
                    response.read()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"gunicorn stopped: {log.read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail(f"gunicorn did not answer: {log.read_text()[-2000:]}")
        yield process, base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def workers(master, expected=2):
    """The pids of the master's worker processes, waiting (10 s at most) until there are
    ``expected`` of them: a worker being replaced is briefly missing."""
    for _ in range(100):
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master.pid:  # the parent's pid
                pids.append(int(stat.parent.name))
        if len(pids) == expected:
            break
        time.sleep(0.1)
    return pids


def test_the_master_loads_the_application_and_holds_no_connection(gunicorn, tmp_path):
    master, base = gunicorn
    for _ in range(10):
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:  # noqa: S310
            assert response.status == 200
            assert response.read().strip() == b"ok"

    # Loaded before the fork: the master has mapped the database driver's and Django's modules.
    maps = Path(f"/proc/{master.pid}/maps").read_text()
    loaded = Path(f"/proc/{master.pid}/environ").read_bytes()
    assert b"DJANGO_SETTINGS_MODULE=config.settings.production" in loaded
    assert "pydantic_core" in maps, "the application was not loaded in the master"

    # ... but it never connected: every connection belongs to one worker.
    assert sockets_to(master.pid, POSTGRES_PORT) == []
    assert sockets_to(master.pid, REDIS_PORT) == []
    assert not [f for f in open_files(master.pid) if f.endswith(".sqlite3")]
    pids = workers(master)
    assert len(pids) == 2
    reached = [
        pid for pid in pids if sockets_to(pid, REDIS_PORT) or sockets_to(pid, POSTGRES_PORT)
    ] + [pid for pid in pids if any(f.endswith(".sqlite3") for f in open_files(pid))]
    assert reached, "no worker holds a connection after answering /healthz"


def test_a_killed_worker_is_replaced_by_a_fork_that_answers(gunicorn):
    master, base = gunicorn
    first = workers(master)
    os.kill(first[0], signal.SIGKILL)
    for _ in range(100):
        now = workers(master)
        if len(now) == 2 and first[0] not in now:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the killed worker was not replaced")
    for _ in range(6):
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:  # noqa: S310
            assert response.read().strip() == b"ok"
