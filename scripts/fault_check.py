#!/usr/bin/env python3
"""Reliability under faults: gunicorn (2 workers) on PostgreSQL and Redis, on loopback only.

1. Builds a dedicated PostgreSQL database with the demo content, production settings (env vars).
2. Saves a marker page, starts gunicorn on a free 127.0.0.1 port, sends bounded traffic.
3. Restarts PostgreSQL in the middle of the traffic: counts errors, measures how long until pages
   answer again (no app restart).
4. Stops Redis: pages must still be served (cache errors are ignored and logged); restarts Redis.
5. Checks that the content saved before the faults is still there. Prints the figures.

Exits non-zero if pages do not come back within RECOVERY_LIMIT seconds after the PostgreSQL restart,
if any request fails while Redis is down, or if content was lost.
Run: .venv/bin/python scripts/fault_check.py   (as a user that may restart PostgreSQL; CI is root)
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG = "postgres://postgres@127.0.0.1:5432"
DB = os.environ.get("FAULT_CHECK_DB", f"fault_check_{os.getpid()}")
REDIS_DB = os.environ.get("FAULT_CHECK_REDIS_DB", "13")
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
]
URLS = ["/", "/en/", "/le-reseau/", "/annuaire/", "/recherche/?q=reseau", "/accessibilite/"]
MARKER_TITLE = f"Page témoin {secrets.token_hex(4)}"
RECOVERY_LIMIT = 30.0  # seconds
REQUEST_TIMEOUT = 5


def log(message):
    print(f"[fault_check] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_version():
    return sorted(os.listdir("/etc/postgresql"))[-1]


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def get(port, path):
    """Status code of one request, or 0 for a connection error / timeout."""
    try:
        with urllib.request.urlopen(  # noqa: S310 - loopback only
            f"http://127.0.0.1:{port}{path}", timeout=REQUEST_TIMEOUT
        ) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def traffic(port, count):
    """Send ``count`` requests; return (ok, errors)."""
    ok = errors = 0
    for i in range(count):
        status = get(port, URLS[i % len(URLS)])
        if status == 200:
            ok += 1
        else:
            errors += 1
    return ok, errors


def main():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"{PG}/{DB}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "LOG_LEVEL": "WARNING",
        "WAGTAIL_LOG_LEVEL": "WARNING",
    }
    workdir = Path(tempfile.mkdtemp(prefix="fault-check-"))
    env["MEDIA_ROOT"] = str(workdir / "media")
    env["STATIC_ROOT"] = str(workdir / "static")
    figures = {}
    server = None
    failed = []
    try:
        log(f"database {DB}, Redis DB {REDIS_DB}, work dir {workdir}")
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
        run(
            [PYTHON, "manage.py", "compilemessages", "--ignore=.venv", "--ignore=var", "-v", "0"],
            env,
        )
        run([PYTHON, "manage.py", "load_demo", "--force"], env, stdout=subprocess.DEVNULL)
        marker_code = (
            "from home.models import HomePage, StandardPage\n"
            "home = HomePage.objects.get(locale__language_code='fr')\n"
            f"page = StandardPage(title={MARKER_TITLE!r}, slug='page-temoin')\n"
            "home.add_child(instance=page)\n"
            "page.save_revision().publish()\n"
            "from wagtail.models import Page, Revision\n"
            "print(Page.objects.count(), Revision.objects.count())\n"
        )
        counts = (
            run(
                [PYTHON, "manage.py", "shell", "-c", marker_code],
                env,
                capture_output=True,
                text=True,
            )
            .stdout.splitlines()[-1]
            .split()
        )
        figures["pages and revisions before faults"] = " / ".join(counts)

        port = free_port()
        server_log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115
        server = subprocess.Popen(
            [GUNICORN, "config.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            if get(port, "/") == 200:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer")
        log(f"gunicorn (2 workers) on 127.0.0.1:{port}")

        ok, errors = traffic(port, 60)
        figures["baseline: ok / errors"] = f"{ok} / {errors}"
        if errors:
            failed.append("errors before any fault")

        # --- PostgreSQL restart in the middle of traffic ---------------------------------------
        restart_done = threading.Event()

        def restart_postgres():
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "restart"],
                check=False,
            )
            restart_done.set()

        ok = errors = 0
        threading.Thread(target=restart_postgres, daemon=True).start()
        started = time.monotonic()
        recovered_after = None
        while time.monotonic() - started < 60:
            status = get(port, URLS[(ok + errors) % len(URLS)])
            if status == 200:
                ok += 1
                if restart_done.is_set() and recovered_after is None:
                    recovered_after = time.monotonic() - started
                    break
            else:
                errors += 1
                time.sleep(0.1)
        figures["PostgreSQL restart: ok / errors during the fault"] = f"{ok} / {errors}"
        figures["PostgreSQL restart: pages answer again after (s)"] = (
            f"{recovered_after:.1f}" if recovered_after is not None else "never"
        )
        if recovered_after is None or recovered_after > RECOVERY_LIMIT:
            failed.append("no recovery after the PostgreSQL restart")
        ok, errors = traffic(port, 60)
        figures["after PostgreSQL restart: ok / errors"] = f"{ok} / {errors}"
        if errors:
            failed.append("errors after PostgreSQL recovered")

        # --- Redis down ---------------------------------------------------------------------
        subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"],
            check=False,
            capture_output=True,
        )
        time.sleep(0.5)
        redis_down = (
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode
            != 0
        )
        ok, errors = traffic(port, 60)
        figures[f"Redis stopped (really down: {redis_down}): ok / errors"] = f"{ok} / {errors}"
        if errors:
            failed.append("errors while Redis was down")
        subprocess.run(REDIS_START, check=False, capture_output=True)
        for _ in range(50):
            if (
                subprocess.run(
                    ["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True
                ).returncode
                == 0
            ):
                break
            time.sleep(0.1)
        ok, errors = traffic(port, 60)
        figures["Redis back: ok / errors"] = f"{ok} / {errors}"
        if errors:
            failed.append("errors after Redis came back")

        # --- Nothing saved before the faults is lost ---------------------------------------
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/page-temoin/", timeout=5) as r:  # noqa: S310
            served = MARKER_TITLE in r.read().decode()
        after = (
            run(
                [
                    PYTHON,
                    "manage.py",
                    "shell",
                    "-c",
                    "from wagtail.models import Page, Revision; print(Page.objects.count(), Revision.objects.count())",
                ],
                env,
                capture_output=True,
                text=True,
            )
            .stdout.splitlines()[-1]
            .split()
        )
        figures["pages and revisions after faults"] = " / ".join(after)
        figures["marker page saved before the faults still served"] = served
        if not served or after != counts:
            failed.append("content lost")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if (
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True).returncode
            != 0
        ):
            subprocess.run(REDIS_START, check=False, capture_output=True)
        subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-n", REDIS_DB, "flushdb"],
            check=False,
            capture_output=True,
        )
        for _ in range(50):
            if (
                subprocess.run(["pg_isready", "-h", "127.0.0.1"], capture_output=True).returncode
                == 0
            ):
                break
            time.sleep(0.2)
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DB],
            check=False,
        )
        if failed and (workdir / "gunicorn.log").exists():
            print("--- last lines of the gunicorn log ---")
            print("\n".join((workdir / "gunicorn.log").read_text().splitlines()[-30:]))
        shutil.rmtree(workdir, ignore_errors=True)

    print("\nFault check figures")
    for name, value in figures.items():
        print(f"  {name}: {value}")
    if failed:
        print("FAULT CHECK FAILED: " + ", ".join(failed))
        return 1
    print("Fault check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
