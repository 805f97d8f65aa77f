#!/usr/bin/env python3
"""Two app servers, one database, one cache: a change published on A is served by B at once.

Starts two gunicorn instances (production settings) on two free loopback ports, sharing a fresh
PostgreSQL database and Redis. Over HTTP only, it checks that:

1. a page cached by A is served from the shared cache by B;
2. a session opened on A (admin login) is valid on B;
3. a title published through A's admin is served by B at once (anonymous visitor);
4. the login page, static files (whitenoise, hashed names) and the home page work on both.

Needs PostgreSQL (PG_URL, default postgres://postgres@127.0.0.1:5432) and Redis
(TWO_INSTANCES_REDIS_URL, default redis://127.0.0.1:6379/15: that Redis database is emptied).
Exits non-zero on the first failed check. Run: .venv/bin/python scripts/two_instances.py
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the shared helpers in core/testing/ (standard library only)
from core.testing.html_forms import form_fields  # noqa: E402
from core.testing.totp import totp  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("TWO_INSTANCES_REDIS_URL", "redis://127.0.0.1:6379/15")
TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, this script only
PASSWORD = secrets.token_urlsafe(16)
PUBLIC_HOST = "localhost"
NEW_TITLE = f"Titre publié sur A {secrets.token_hex(3)}"


class CheckFailed(Exception):
    pass


def check(condition, what):
    print(("  ok    " if condition else "  FAIL  ") + what, flush=True)
    if not condition:
        raise CheckFailed(what)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql):
    subprocess.run(
        ["psql", f"{PG_URL}/postgres", "-qc", sql], check=True, stdout=subprocess.DEVNULL
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Browser:
    """Cookies kept by hand: the production cookies are Secure, and we talk plain HTTP on
    loopback while telling Django (X-Forwarded-Proto) that a TLS proxy stands in front."""

    def __init__(self):
        self.cookies = {}

    def request(self, base, path, data=None, referer=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(base + path, data=body)  # noqa: S310 - loopback http only
        req.add_header("X-Forwarded-Proto", "https")
        # Behind a load balancer every app server sees the same public host name.
        req.add_header("Host", PUBLIC_HOST)
        if self.cookies:
            req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if referer:
            req.add_header("Referer", referer)
        try:
            response = OPENER.open(req, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, dict(response.headers), response.read().decode("utf-8", "replace")


def wait_until_up(base, process):
    for _ in range(120):
        if process.poll() is not None:
            raise CheckFailed(f"gunicorn at {base} exited with {process.returncode}")
        try:
            status, _, _ = Browser().request(base, "/robots.txt")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise CheckFailed(f"gunicorn at {base} did not answer")


def main():
    db_name = f"wt_two_instances_{os.getpid()}"
    static_root = tempfile.mkdtemp(prefix="two-instances-static-")
    media_root = tempfile.mkdtemp(prefix="two-instances-media-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG_URL}/{db_name}",
        "REDIS_URL": REDIS_URL,
        "STATIC_ROOT": static_root,
        "MEDIA_ROOT": media_root,
        "TASKS_BACKEND": "database",
        "SECURE_SSL_REDIRECT": "off",
        "IMAGES_PREPARE_RENDITIONS": "off",
        "LOG_LEVEL": "WARNING",
        "WAGTAIL_LOG_LEVEL": "WARNING",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    processes = []

    started = time.monotonic()

    def manage(*args):
        print(f"  [{time.monotonic() - started:5.0f} s] manage.py {' '.join(args)}", flush=True)
        subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )

    print(f"Two instances: fresh database {db_name}, Redis {REDIS_URL}", flush=True)
    psql(f"CREATE DATABASE {db_name}")
    try:
        subprocess.run(
            [PYTHON, "-c", f"import redis; redis.Redis.from_url({REDIS_URL!r}).flushdb()"],
            check=True,
            cwd=ROOT,
        )
        manage("migrate", "--no-input")
        manage("collectstatic", "--no-input")
        check(
            any(Path(static_root).rglob("site.*.css")),
            "collectstatic wrote hashed names (production settings)",
        )
        manage("load_demo", "--force")
        manage("createsuperuser", "--no-input", "--username", "deux", "--email", "deux@example.org")
        # Production settings ask a superuser for a second factor: give "deux" a known TOTP key.
        manage("enrol_totp", "deux", "--key", TOTP_KEY)
        info = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                "import json; from wagtail.models import Page; from wagtail.fields import StreamField;"
                "p = Page.objects.get(slug='le-reseau', locale__language_code='fr').specific;"
                "print(json.dumps({'id': p.pk, 'streams': [f.name for f in type(p)._meta.fields"
                " if isinstance(f, StreamField)]}))",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        page = json.loads(info.stdout.strip().splitlines()[-1])

        bases = []
        for _ in range(2):
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            log = open(Path(tempfile.gettempdir()) / f"two-instances-{port}.log", "w")  # noqa: SIM115
            processes.append(
                subprocess.Popen(
                    [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            bases.append(base)
        a, b = bases
        for base, process in zip(bases, processes, strict=True):
            wait_until_up(base, process)
        print(f"Instance A: {a}   Instance B: {b}", flush=True)

        visitor = Browser()
        for name, base in (("A", a), ("B", b)):
            status, _, html = visitor.request(base, "/")
            check(status == 200 and "Innover en Baronnies" in html, f"home page served by {name}")
            css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', html)
            check(css is not None, f"{name} links the stylesheet under a hashed name")
            status, headers, _ = visitor.request(base, css.group(1))
            check(
                status == 200 and "max-age" in headers.get("Cache-Control", ""),
                f"{name} serves the hashed stylesheet with a long cache lifetime (whitenoise)",
            )

        visitor.request(a, "/le-reseau/")
        status, headers, html = visitor.request(b, "/le-reseau/")
        check(
            status == 200 and headers.get("X-Page-Cache") == "hit",
            "a page cached by A is served by B from the shared cache",
        )

        editor = Browser()
        status, _, html = editor.request(a, "/admin/login/")
        fields = dict(form_fields(html))
        fields.update({"username": "deux", "password": PASSWORD})
        status, headers, _ = editor.request(
            a, "/admin/login/", fields, referer=f"https://{PUBLIC_HOST}/admin/login/"
        )
        check(status == 302 and "sessionid" in editor.cookies, "an editor logs in on A")
        status, headers, html = editor.request(a, "/admin/")
        if status == 302:  # the admin sends a superuser on to the second factor
            step = urllib.parse.urlsplit(headers["Location"])
            step_path = f"{step.path}?{step.query}" if step.query else step.path
            status, _, html = editor.request(a, step_path)
            fields = dict(form_fields(html))
            fields["otp_token"] = totp(TOTP_KEY)
            status, headers, _ = editor.request(
                a, step_path, fields, referer=f"https://{PUBLIC_HOST}{step_path}"
            )
        check(status == 302, "the editor answers the second factor on A")
        status, _, html = editor.request(b, "/admin/")
        check(status == 200 and "deux" in html, "the session opened on A is valid on B")

        edit_path = f"/admin/pages/{page['id']}/edit/"
        status, _, html = editor.request(a, edit_path)
        check(status == 200, "A's admin shows the page editor")
        data = {}
        for name, value in form_fields(html, "page-edit-form"):
            data.setdefault(name, []).append(value)
        for stream in page["streams"]:
            data.setdefault(f"{stream}-count", ["0"])
        data["title"] = [NEW_TITLE]
        data["action-publish"] = ["action-publish"]
        status, _, html = editor.request(
            a, edit_path, data, referer=f"https://{PUBLIC_HOST}{edit_path}"
        )
        check(status == 302, "the editor publishes a new title through A's admin")

        status, headers, html = visitor.request(b, "/le-reseau/")
        check(
            status == 200 and NEW_TITLE in html,
            "B serves the new title at once to an anonymous visitor",
        )
        status, headers, html = visitor.request(b, "/le-reseau/")
        check(
            NEW_TITLE in html and headers.get("X-Page-Cache") == "hit",
            "B caches the new version and keeps serving it",
        )
        status, _, html = visitor.request(a, "/le-reseau/")
        check(NEW_TITLE in html, "A serves the new title too")
        status, headers, html = editor.request(b, "/le-reseau/")
        check("X-Page-Cache" not in headers, "the logged-in editor is never served from the cache")
    except (CheckFailed, subprocess.CalledProcessError) as error:
        print(f"TWO INSTANCES FAILED: {error}", flush=True)
        for log in Path(tempfile.gettempdir()).glob("two-instances-*.log"):
            print(f"--- {log}\n{log.read_text()[-3000:]}")
        return 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        psql(f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(media_root, ignore_errors=True)
    print("Two instances: every check passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
