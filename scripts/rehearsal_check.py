#!/usr/bin/env python3
"""Checks against the stack of `make rehearsal` (scripts/rehearsal.py), through nginx.

Requests come from two loopback client addresses bound as source addresses: A = 127.0.0.2 and
B = 127.0.0.3. Each check prints PASS or FAIL with its figures; the exit status is non-zero if one
failed. Checks (issue 11, part 11):

  contact-rate-limit   A goes over the contact form's limit (429), B's valid message is accepted
  forged-xff           a forged X-Forwarded-For from A does not reset A's count
  admin-lockout        A locks itself out of /admin/ (even the right password is then refused),
                       B logs in as parc with the second factor (TOTP, known key)
  map-tiles            the directory's CSP allows the tile host; Chromium loads a tile (screenshot)
  s3-media             an image uploaded through the admin lands in S3 and its rendition is served;
                       a private document cannot be fetched by its bucket URL
  backup-restore       backup_site, then restore_site into a fresh database and buckets: same
                       counts and bytes
  page-cache           random query strings do not grow the page cache (Redis keys)
  faults               a gunicorn worker killed under load; PostgreSQL restarted; Redis stopped
                       (--no-service-faults or REHEARSAL_SKIP_SERVICE_FAULTS=1: the worker only)

Run: .venv/bin/python scripts/rehearsal_check.py [--no-service-faults] [--only NAME,...]
"""

import argparse
import io
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import requests
import urllib3
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the shared helpers in core/testing/ (standard library only)
from core.testing.totp import totp  # noqa: E402

VAR = Path(os.environ.get("REHEARSAL_DIR", ROOT / "var" / "rehearsal"))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BASE = "https://127.0.0.1:8443"
TILE_HOST = "https://127.0.0.1:8090"
S3 = "http://127.0.0.1:9100"
A, B = "127.0.0.2", "127.0.0.3"
PASSWORD = "demo-baronnies"  # noqa: S105 - the public demo password (README)
TOTP_KEY = os.environ.get("REHEARSAL_TOTP_KEY", "3132333435363738393031323334353637383930")
RESTORE_DB = "baronnies_rehearsal_restore"
RECOVERY_LIMIT = 30.0
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
RESULTS = []


def say(message):
    print(f"[rehearsal_check] {message}", flush=True)


class SourceAddressAdapter(HTTPAdapter):
    def __init__(self, address, **kwargs):
        self.address = address
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client(address):
    session = requests.Session()
    # The rehearsal's self-signed certificate; REQUESTS_CA_BUNDLE and proxies from the
    # environment would override it, so the environment is not read.
    session.trust_env = False
    session.verify = str(VAR / "tls" / "cert.pem")
    adapter = SourceAddressAdapter(address)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = f"rehearsal-check/{address}"
    return session


def stack_env():
    env = {**os.environ}
    for line in (VAR / "baronnies.env").read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    return env


def manage(*args, env=None, check=True):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env or stack_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check and result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed: {result.stderr[-2000:]}")
    return result.stdout


def form_fields(html, form_selector=None):
    """(action, {name: value}) of the first POST form, filled as a person would."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    form = (
        soup.select_one(form_selector)
        if form_selector
        else soup.find("form", method=re.compile("post", re.I))
    )
    if form is None:
        raise AssertionError("no form on the page")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name:
            continue
        kind = (field.get("type") or field.name).lower()
        if kind == "hidden":
            data[name] = field.get("value", "")
        elif name == "site_web":
            data[name] = ""  # the honeypot
        elif kind == "email":
            data[name] = "visiteur@example.org"
        elif kind == "checkbox":
            data[name] = field.get("value", "on")
        elif kind == "select":
            options = [o.get("value") for o in field.find_all("option") if o.get("value")]
            data[name] = options[0] if options else ""
        elif kind == "textarea":
            data[name] = "Bonjour, ceci est un message de la répétition."
        elif kind in ("text", "tel", "url", "number"):
            data[name] = (
                "https://example.org"
                if kind == "url"
                else ("1" if kind == "number" else "Répétition")
            )
    return form.get("action") or "", data


def check(name):
    def decorator(function):
        function.check_name = name
        return function

    return decorator


# --- the checks ---------------------------------------------------------------------------------


CONTACT = "/nous-contacter/"


def contact_attempt(session, headers=None):
    page = session.get(BASE + CONTACT, timeout=15)
    page.raise_for_status()
    action, data = form_fields(page.text)
    time.sleep(3.2)  # FORM_MIN_SECONDS: a person takes longer than that
    response = session.post(
        BASE + (action or CONTACT),
        data=data,
        headers={"Referer": BASE + CONTACT, **(headers or {})},
        timeout=15,
        allow_redirects=False,
    )
    return response.status_code


@check("contact-rate-limit")
def check_contact_rate_limit(state):
    a = client(A)
    statuses = [contact_attempt(a) for _ in range(6)]
    state["a_statuses"] = statuses
    b_status = contact_attempt(client(B))
    ok = (
        statuses[-1] == 429
        and all(s in (200, 302) for s in statuses[:5])
        and b_status in (200, 302)
    )
    return ok, f"A: {statuses}; then B: {b_status}"


@check("forged-xff")
def check_forged_xff(state):
    a = client(A)
    if "a_statuses" not in state:
        for _ in range(6):
            contact_attempt(a)
    forged = [contact_attempt(a, {"X-Forwarded-For": f"198.51.100.{i}"}) for i in (7, 8)]
    return all(s == 429 for s in forged), f"A with forged X-Forwarded-For: {forged}"


def admin_login(session, username, password):
    """Log in through /admin/login/; pass the second factor if asked. Returns (status, url)."""
    page = session.get(f"{BASE}/admin/login/", timeout=15)
    _action, data = form_fields(page.text)
    data.update(username=username, password=password)
    response = session.post(
        f"{BASE}/admin/login/",
        data=data,
        headers={"Referer": f"{BASE}/admin/login/"},
        timeout=15,
    )
    session.second_factor_asked = 'name="otp_token"' in response.text
    if session.second_factor_asked:
        _action, data = form_fields(response.text)
        data["otp_token"] = totp(TOTP_KEY)
        response = session.post(
            response.url, data=data, headers={"Referer": response.url}, timeout=15
        )
    return response


def logged_in(session):
    response = session.get(f"{BASE}/admin/", timeout=15, allow_redirects=False)
    return response.status_code == 200


@check("admin-lockout")
def check_admin_lockout(state):
    enrolled = manage("enrol_totp", "parc", "--key", TOTP_KEY, check=False)
    a = client(A)
    wrong = [admin_login(a, "parc", f"wrong-{i}").status_code for i in range(6)]
    right_for_a = admin_login(a, "parc", PASSWORD)
    a_in = logged_in(a)
    b = client(B)
    admin_login(b, "parc", PASSWORD)
    b_in = logged_in(b)
    state["parc_session"] = b if b_in else None
    # The second factor was asked for and answered with the TOTP of the enrolled key.
    second_factor = "otpauth" in enrolled and b.second_factor_asked
    ok = not a_in and b_in and second_factor
    return ok, (
        f"A wrong passwords: {wrong}; A right password: {right_for_a.status_code}, in: {a_in}; "
        f"B as parc: in: {b_in}, second factor used: {second_factor}"
    )


@check("map-tiles")
def check_map_tiles(state):
    response = client(A).get(f"{BASE}/annuaire/", timeout=15)
    csp = response.headers.get("Content-Security-Policy", "")
    img_src = next((d for d in csp.split(";") if d.strip().startswith("img-src")), "")
    allowed = TILE_HOST in img_src
    from playwright.sync_api import sync_playwright

    screenshot = VAR / "map-tiles.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        context = browser.new_context(ignore_https_errors=True)
        page = context.new_page()
        tiles = []
        page.on(
            "response",
            lambda r: tiles.append(r.status) if r.url.startswith(TILE_HOST) else None,
        )
        page.goto(f"{BASE}/annuaire/", wait_until="networkidle")
        try:
            page.wait_for_function(
                f"""() => [...document.querySelectorAll('img')].some(
                    i => i.src.startsWith('{TILE_HOST}') && i.complete && i.naturalWidth > 0)""",
                timeout=15000,
            )
            drawn = True
        except Exception:  # noqa: BLE001 - reported as a failure below
            drawn = False
        page.screenshot(path=str(screenshot), full_page=False)
        browser.close()
    loaded = sum(1 for s in tiles if s == 200)
    return allowed and drawn and loaded >= 1, (
        f"img-src: {img_src.strip()!r}; tiles loaded in Chromium: {loaded}; screenshot {screenshot}"
    )


def s3_client():
    import boto3

    env = stack_env()
    return boto3.client(
        "s3",
        endpoint_url=S3,
        region_name="us-east-1",
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


@check("s3-media")
def check_s3_media(state):
    from PIL import Image

    session = state.get("parc_session")
    if session is None:
        session = client(B)
        admin_login(session, "parc", PASSWORD)
    env = stack_env()
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (90, 140, 200)).save(buffer, "PNG")
    name = f"repetition-{secrets.token_hex(3)}.png"
    form = session.get(f"{BASE}/admin/images/add/", timeout=15)
    _action, data = form_fields(form.text, "form[enctype]")
    data.update(title=f"Image de répétition {name}", description="Un rectangle bleu")
    upload = session.post(
        f"{BASE}/admin/images/add/",
        data=data,
        files={"file": (name, buffer.getvalue(), "image/png")},
        headers={"Referer": f"{BASE}/admin/images/add/"},
        timeout=30,
    )
    s3 = s3_client()
    keys = [
        o["Key"]
        for o in s3.list_objects_v2(Bucket=env["AWS_STORAGE_BUCKET_NAME"]).get("Contents", [])
    ]
    original = [k for k in keys if k.startswith("original_images/") and name[:-4] in k]
    code = (
        "from images.models import CustomImage\n"
        f"image = CustomImage.objects.filter(title__endswith={name!r}).get()\n"
        "print(image.get_rendition('fill-120x80').url)\n"
    )
    rendition_url = manage("shell", "-c", code).strip().splitlines()[-1]
    rendition = client(A).get(
        rendition_url if rendition_url.startswith("http") else BASE + rendition_url, timeout=15
    )
    rendition_ok = rendition.status_code == 200 and rendition.content[:4] in (
        b"\x89PNG",
        b"RIFF",
        b"\xff\xd8\xff\xe0",
        b"\xff\xd8\xff\xe1",
    )
    # A private document: stored in the private bucket, not readable there without credentials.
    code = (
        "from django.core.files.base import ContentFile\n"
        "from wagtail.documents.models import Document\n"
        "from wagtail.models import Collection, CollectionViewRestriction\n"
        "root = Collection.get_first_root_node()\n"
        "private = root.get_children().filter(name='Répétition privée').first() or root.add_child(name='Répétition privée')\n"
        "CollectionViewRestriction.objects.get_or_create(collection=private, restriction_type='login')\n"
        "doc = Document.objects.create(title='Note privée', collection=private, file=ContentFile(b'%PDF-1.4 secret', name='note-privee.pdf'))\n"
        "print(doc.file.name, doc.url)\n"
    )
    doc_name, doc_url = manage("shell", "-c", code).strip().splitlines()[-1].split()
    anonymous = requests.Session()
    anonymous.trust_env = False
    by_private_bucket = anonymous.get(
        f"{S3}/{env['AWS_PRIVATE_BUCKET_NAME']}/{doc_name}", timeout=10
    ).status_code
    by_public_bucket = anonymous.get(
        f"{S3}/{env['AWS_STORAGE_BUCKET_NAME']}/{doc_name}", timeout=10
    ).status_code
    by_cdn = client(A).get(f"{BASE}/s3/{doc_name}", timeout=10).status_code
    through_django = client(A).get(BASE + doc_url, timeout=10, allow_redirects=False).status_code
    ok = (
        upload.status_code in (200, 302)
        and bool(original)
        and rendition_ok
        and by_private_bucket == 403
        and by_public_bucket in (403, 404)
        and by_cdn in (403, 404)
        and through_django in (302, 403)
    )
    return ok, (
        f"upload {upload.status_code}, in S3: {original[:1]}; rendition {rendition.status_code} "
        f"({rendition_url}); private document {doc_name}: private bucket URL {by_private_bucket}, "
        f"public bucket {by_public_bucket}, CDN path {by_cdn}, anonymous through Django {through_django}"
    )


SUMMARY = (
    "import json\n"
    "from tests.backup_life import summary\n"
    "s = summary()\n"
    "print('SUMMARY ' + json.dumps({k: (len(v) if isinstance(v, list | dict) else v) for k, v in s.items()}"
    " | {'media_sha': __import__('hashlib').sha256(json.dumps(s['media'], sort_keys=True).encode()).hexdigest()}))\n"
)


def summary(env):
    out = manage("shell", "-c", SUMMARY, env=env)
    return json.loads([r for r in out.splitlines() if r.startswith("SUMMARY ")][-1][8:])


@check("backup-restore")
def check_backup_restore(state):
    env = stack_env()
    archive = VAR / "check-backup.tar.gz"
    before = summary(env)
    out = manage("backup_site", str(archive), env=env)
    fresh = {
        **env,
        "DATABASE_URL": env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{RESTORE_DB}",
        "AWS_STORAGE_BUCKET_NAME": "restore-media",
        "AWS_PRIVATE_BUCKET_NAME": "restore-documents",
        "REDIS_URL": "",
    }
    pg = env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    subprocess.run(
        ["psql", pg, "-qc", f'DROP DATABASE IF EXISTS "{RESTORE_DB}" WITH (FORCE)'], check=True
    )
    subprocess.run(["psql", pg, "-qc", f'CREATE DATABASE "{RESTORE_DB}"'], check=True)
    s3 = s3_client()
    for bucket in ("restore-media", "restore-documents"):
        existing = (
            s3.list_objects_v2(Bucket=bucket).get("Contents", [])
            if bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]
            else None
        )
        if existing is None:
            s3.create_bucket(Bucket=bucket)
        for obj in existing or []:
            s3.delete_object(Bucket=bucket, Key=obj["Key"])
    manage("restore_site", str(archive), "--no-input", env=fresh)
    after = summary(fresh)
    return after == before, f"{out.strip()} | before {before} | after {after}"


def page_cache_keys():
    env = stack_env()
    db = env["REDIS_URL"].rsplit("/", 1)[1]
    out = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-n", db, "--scan", "--pattern", "*pagecache*"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return len([line for line in out.splitlines() if line.strip()])


@check("page-cache")
def check_page_cache(state):
    session = client(A)
    session.get(f"{BASE}/le-reseau/", timeout=15)
    before = page_cache_keys()
    statuses = set()
    for _ in range(200):
        junk = f"utm_source={secrets.token_hex(4)}&x={secrets.token_hex(6)}&fbclid={secrets.token_hex(5)}"
        statuses.add(session.get(f"{BASE}/le-reseau/?{junk}", timeout=15).status_code)
    after = page_cache_keys()
    return after - before <= 5 and statuses == {200}, (
        f"page-cache keys in Redis: {before} before, {after} after 200 requests with random query strings; statuses {sorted(statuses)}"
    )


class Traffic:
    """Requests through nginx in a thread; records (time, ok)."""

    URLS = ["/", "/en/", "/le-reseau/", "/annuaire/", "/agenda/", "/accessibilite/"]

    def __init__(self):
        self.samples = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        session = client(B)
        i = 0
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                ok = session.get(BASE + self.URLS[i % len(self.URLS)], timeout=5).status_code == 200
            except requests.RequestException:
                ok = False
            self.samples.append((started, ok))
            i += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)

    def failures_after(self, moment):
        bad = [t for t, ok in self.samples if t >= moment and not ok]
        last_bad = max(bad) - moment if bad else 0.0
        return len(bad), last_bad, sum(1 for t, _ok in self.samples if t >= moment)


def gunicorn_workers():
    socket_path = str(VAR / "gunicorn.sock")
    out = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout
    rows = [line.split(None, 2) for line in out.splitlines()[1:]]
    masters = [r[0] for r in rows if "gunicorn" in r[2] and socket_path in r[2]]
    return [int(r[0]) for r in rows if r[1] in masters]


def saved_marker(env, title):
    code = (
        "from home.models import HomePage, StandardPage\n"
        "home = HomePage.objects.get(locale__language_code='fr')\n"
        f"page = StandardPage(title={title!r}, slug='temoin-{secrets.token_hex(3)}')\n"
        "home.add_child(instance=page)\n"
        "page.save_revision().publish()\n"
        "print(page.url_path)\n"
    )
    return manage("shell", "-c", code, env=env).strip().splitlines()[-1]


@check("faults")
def check_faults(state):
    env = stack_env()
    marker = f"Page témoin {secrets.token_hex(3)}"
    saved_marker(env, marker)
    report, ok = [], True
    with Traffic() as traffic:
        time.sleep(3)
        workers = gunicorn_workers()
        moment = time.monotonic()
        os.kill(workers[0], 9)
        time.sleep(8)
        bad, last, total = traffic.failures_after(moment)
        recovered = last <= RECOVERY_LIMIT and traffic.samples[-1][1]
        ok &= recovered
        report.append(
            f"worker {workers[0]} killed: {bad} failed of {total}, last failure {last:.1f} s after"
        )
        if not state["service_faults"]:
            report.append("PostgreSQL restart and Redis stop skipped (--no-service-faults)")
        else:
            version = sorted(os.listdir("/etc/postgresql"))[-1]
            moment = time.monotonic()
            subprocess.run(["pg_ctlcluster", version, "main", "restart"], check=True)
            time.sleep(10)
            bad, last, total = traffic.failures_after(moment)
            ok &= last <= RECOVERY_LIMIT and traffic.samples[-1][1]
            report.append(
                f"PostgreSQL restarted: {bad} failed of {total}, last failure {last:.1f} s after"
            )
            moment = time.monotonic()
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], check=False)
            time.sleep(8)
            bad, _last, total = traffic.failures_after(moment)
            ok &= bad == 0
            report.append(f"Redis stopped: {bad} failed of {total}")
            subprocess.run(
                [
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
                ],
                check=True,
            )
            time.sleep(2)
    found = manage(
        "shell",
        "-c",
        f"from wagtail.models import Page; print(Page.objects.filter(title={marker!r}).count())",
        env=env,
    )
    kept = found.strip().splitlines()[-1] == "1"
    ok &= kept
    report.append(f"content saved before the faults still there: {kept}")
    return ok, "; ".join(report)


CHECKS = [
    check_contact_rate_limit,
    check_forged_xff,
    check_admin_lockout,
    check_map_tiles,
    check_s3_media,
    check_backup_restore,
    check_page_cache,
    check_faults,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-service-faults", action="store_true", help="do not restart PostgreSQL nor stop Redis"
    )
    parser.add_argument("--only", help="comma-separated check names")
    parser.add_argument(
        "--wait", type=float, default=0, help="seconds to wait for the stack to be ready"
    )
    options = parser.parse_args()
    limit = time.monotonic() + options.wait
    while not (VAR / "ready").exists():
        if time.monotonic() > limit:
            sys.exit(
                f"The rehearsal is not running ({VAR / 'ready'} missing): run make rehearsal first."
            )
        time.sleep(2)
    state = {
        "service_faults": not (
            options.no_service_faults or os.environ.get("REHEARSAL_SKIP_SERVICE_FAULTS") == "1"
        )
    }
    wanted = set(options.only.split(",")) if options.only else None
    failed = []
    for function in CHECKS:
        name = function.check_name
        if wanted and name not in wanted:
            continue
        started = time.monotonic()
        try:
            ok, detail = function(state)
        except Exception as error:  # noqa: BLE001 - a check that crashes is a failed check
            ok, detail = False, f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}"
        say(f"{'PASS' if ok else 'FAIL'} {name} ({time.monotonic() - started:.0f} s): {detail}")
        if not ok:
            failed.append(name)
    say(f"{'all checks passed' if not failed else 'FAILED: ' + ', '.join(failed)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
