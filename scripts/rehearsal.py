#!/usr/bin/env python3
"""`make rehearsal`: the production stack of docs/deployment.md, on this machine, on loopback.

Everything is rendered from the files in deploy/ (the nginx site, the systemd units, the example
environment file), with local paths, into var/rehearsal/, so the documentation and the rehearsal
cannot drift apart:

- nginx (Debian's package, an unprivileged master with its own prefix) on https://127.0.0.1:8443/
  with a self-signed certificate made at start; http://127.0.0.1:8088/ redirects to it;
- gunicorn from deploy/baronnies.service, on the Unix socket of deploy/baronnies.socket, with
  production settings from the rendered environment file;
- PostgreSQL: a fresh database baronnies_rehearsal, migrated, with the demo content;
- Redis database 3 for the cache and the sessions;
- media on moto's S3 server (port 9100): a public bucket for images, a private one for documents;
- a tile server (nginx, https://127.0.0.1:8090/) serving PNG tiles drawn at start with Pillow;
- the task worker of deploy/baronnies-worker.service;
- a scheduler loop running the services of deploy/*.timer at their intervals, shortened.

It stays in the foreground; Ctrl-C or SIGTERM stops everything it started.
Options: --keep-db reuses the database and the buckets' content of the last run (faster restart).
"""

import argparse
import math
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VAR = Path(os.environ.get("REHEARSAL_DIR", ROOT / "var" / "rehearsal"))
PYTHON = ROOT / ".venv" / "bin" / "python"
HTTPS_PORT, HTTP_PORT, TILE_PORT, S3_PORT = 8443, 8088, 8090, 9100
DB = os.environ.get("REHEARSAL_DB", "baronnies_rehearsal")
PG = os.environ.get("REHEARSAL_PG", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("REHEARSAL_REDIS_URL", "redis://127.0.0.1:6379/3")
PUBLIC_BUCKET, PRIVATE_BUCKET = "baronnies-media", "baronnies-documents"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "rehearsal", "AWS_SECRET_ACCESS_KEY": "rehearsal-secret"}
# A day of the real schedule lasts this many seconds here (a job never runs more than every 30 s).
DAY_SECONDS = int(os.environ.get("REHEARSAL_DAY_SECONDS", "300"))
# Tiles: zoom levels and the point they are centred on (the Baronnies, 44.3 N 5.3 E).
TILE_ZOOMS, TILE_CENTRE, TILE_SPAN = range(8, 13), (44.3, 5.3), 2
LOCAL_PATHS = {
    # deploy/ path (a real server) -> rehearsal path
    # make install-production's .venv: the site's packages only (make rehearsal builds it).
    "/srv/baronnies/app/.venv/bin/": f"{ROOT}/var/venv-production/bin/",
    "/srv/baronnies/app": str(ROOT),
    "/srv/baronnies/static": str(VAR / "static"),
    "/srv/baronnies/media": str(VAR / "media"),
    "/run/baronnies.sock": str(VAR / "gunicorn.sock"),
    "/etc/letsencrypt/live/innover.example.org/fullchain.pem": str(VAR / "tls" / "cert.pem"),
    "/etc/letsencrypt/live/innover.example.org/privkey.pem": str(VAR / "tls" / "key.pem"),
}


def log(message):
    print(f"[rehearsal] {message}", flush=True)


def localise(text):
    for real, local in LOCAL_PATHS.items():
        text = text.replace(real, local)
    return text


# --- deploy/ files -------------------------------------------------------------------------------


def read_unit(name):
    """The sections of a systemd unit of deploy/, as {section: {key: value}} (local paths)."""
    sections, current = {}, None
    text = localise((DEPLOY / name).read_text()).replace("\\\n", " ")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        elif "=" in line and current is not None:
            key, value = line.split("=", 1)
            current[key.strip()] = value.strip()
    return sections


def exec_start(name):
    return shlex.split(read_unit(name)["Service"]["ExecStart"])


def render_env(secret_key):
    """deploy/baronnies.env.example with the rehearsal's values; returns the environment."""
    values = {}
    for line in (DEPLOY / "baronnies.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    base = f"https://127.0.0.1:{HTTPS_PORT}"
    values.update(
        {
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": base,
            "WAGTAILADMIN_BASE_URL": base,
            "DATABASE_URL": f"{PG}/{DB}",
            "REDIS_URL": REDIS_URL,
            "STATIC_ROOT": str(VAR / "static"),
            "MEDIA_ROOT": str(VAR / "media"),
            # nginx is the one trusted proxy in front of gunicorn.
            "PROXY_COUNT": "1",
            "AXES_PROXY_COUNT": "1",
            # No mail leaves the machine: messages are written to the logs.
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "8025",
            "EMAIL_USE_TLS": "off",
            # Media on moto's S3 server, reached through nginx (the "CDN" domain) for images.
            "AWS_STORAGE_BUCKET_NAME": PUBLIC_BUCKET,
            "AWS_PRIVATE_BUCKET_NAME": PRIVATE_BUCKET,
            "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{S3_PORT}",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_CUSTOM_DOMAIN": f"127.0.0.1:{HTTPS_PORT}/s3",
            **S3_KEYS,
            "MAP_TILE_URL": f"https://127.0.0.1:{TILE_PORT}/{{z}}/{{x}}/{{y}}.png",
            "MAP_TILE_ATTRIBUTION": "Tuiles de répétition (dessinées localement)",
            # A browser must not remember HSTS for 127.0.0.1 after a rehearsal.
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_HSTS_PRELOAD": "off",
            "LOG_FORMAT": "plain",
            "LOG_LEVEL": "WARNING",
            "WAGTAIL_LOG_LEVEL": "WARNING",
        }
    )
    path = VAR / "baronnies.env"
    path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    path.chmod(0o600)
    return values


def render_nginx():
    """deploy/nginx.conf inside a main configuration for an unprivileged nginx, plus tiles."""
    site = localise((DEPLOY / "nginx.conf").read_text())
    site = re.sub(r"^\s*listen \[::\]:.*\n", "", site, flags=re.M)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{HTTP_PORT};")
    site = site.replace("listen 443 ssl", f"listen 127.0.0.1:{HTTPS_PORT} ssl")
    site = site.replace("https://$host$request_uri", f"https://$host:{HTTPS_PORT}$request_uri")
    site = site.replace("server_name innover.example.org;", "server_name 127.0.0.1;")
    assert str(VAR / "gunicorn.sock") in site and f":{HTTPS_PORT} ssl" in site, "nginx.conf moved"
    # The S3 "CDN": public images through nginx, as a CDN in front of the public bucket would.
    s3 = f"""
    location /s3/ {{
        proxy_pass http://127.0.0.1:{S3_PORT}/{PUBLIC_BUCKET}/;
        proxy_set_header Host 127.0.0.1:{S3_PORT};
        add_header X-Content-Type-Options "nosniff" always;
    }}
"""
    site = site.replace("    location / {", s3 + "\n    location / {", 1)
    tls = VAR / "tls"
    conf = f"""# Rendered by scripts/rehearsal.py from deploy/nginx.conf: do not edit.
worker_processes 2;
pid {VAR}/nginx.pid;
error_log {VAR}/logs/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {VAR}/logs/nginx-access.log;
    client_body_temp_path {VAR}/nginx/body;
    proxy_temp_path {VAR}/nginx/proxy;
    fastcgi_temp_path {VAR}/nginx/fastcgi;
    uwsgi_temp_path {VAR}/nginx/uwsgi;
    scgi_temp_path {VAR}/nginx/scgi;
    sendfile on;

{site}

# The tile server of the rehearsal (a real site uses a tile service: docs/directory.md).
server {{
    listen 127.0.0.1:{TILE_PORT} ssl;
    server_name 127.0.0.1;
    ssl_certificate     {tls}/cert.pem;
    ssl_certificate_key {tls}/key.pem;
    root {VAR}/tiles;
    location / {{
        add_header Access-Control-Allow-Origin "*";
        add_header Cache-Control "public, max-age=86400";
        try_files $uri =404;
    }}
}}
}}
"""
    (VAR / "nginx.conf").write_text(conf)
    return VAR / "nginx.conf"


# --- pieces made at start ----------------------------------------------------------------------


def make_certificate():
    tls = VAR / "tls"
    tls.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "7",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(tls / "key.pem"),
            "-out",
            str(tls / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


def tile_xy(lat, lon, zoom):
    n = 2**zoom
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def make_tiles():
    from PIL import Image, ImageDraw

    count = 0
    for zoom in TILE_ZOOMS:
        cx, cy = tile_xy(*TILE_CENTRE, zoom)
        for x in range(cx - TILE_SPAN, cx + TILE_SPAN + 1):
            for y in range(cy - TILE_SPAN, cy + TILE_SPAN + 1):
                folder = VAR / "tiles" / str(zoom) / str(x)
                folder.mkdir(parents=True, exist_ok=True)
                shade = 200 + (x + y) % 2 * 25
                image = Image.new("RGB", (256, 256), (shade, 235, 200))
                draw = ImageDraw.Draw(image)
                draw.rectangle([0, 0, 255, 255], outline=(150, 170, 140))
                draw.text((8, 8), f"{zoom}/{x}/{y}", fill=(60, 80, 60))
                image.save(folder / f"{y}.png", optimize=True)
                count += 1
    return count


def create_buckets():
    import json

    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{S3_PORT}",
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        s3.create_bucket(Bucket=bucket)
    # Images: anyone may read. Documents: no policy, nothing public.
    s3.put_bucket_policy(
        Bucket=PUBLIC_BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{PUBLIC_BUCKET}/*",
                    }
                ],
            }
        ),
    )


def wait_for(check, what, timeout=60):
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- the stack ----------------------------------------------------------------------------------


class Stack:
    def __init__(self, env):
        self.env = env
        self.processes = []  # (name, Popen)
        self.restart = {}  # name: (command, the unit's Restart=, RestartSec=)
        self.stopping = threading.Event()

    def start(self, name, cmd, unit=None, **kwargs):
        """Start ``cmd``; with ``unit`` (a service of deploy/), restart it as its Restart= says."""
        logfile = open(VAR / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - kept for the process
        process = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            **kwargs,
        )
        if unit is not None:
            service = read_unit(unit)["Service"]
            self.restart[name] = (
                cmd,
                service.get("Restart", "no"),
                int(service.get("RestartSec", "0")),
            )
        self.processes.append((name, process))
        return process

    def supervise(self):
        """What systemd does for the units: a stopped process is started again when its unit's
        Restart= says so (the worker, after losing its database during a restart); any other
        stop ends the rehearsal."""
        for name, process in list(self.processes):
            code = process.poll()
            if code is None:
                continue
            cmd, policy, delay = self.restart.get(name, (None, "no", 0))
            if policy == "always" or (policy == "on-failure" and code != 0):
                log(f"{name} stopped (exit {code}); started again in {delay} s (Restart={policy})")
                time.sleep(delay)
                self.processes.remove((name, process))
                self.start(name, cmd)
            else:
                raise RuntimeError(f"{name} stopped (exit {code}); see its log")

    def manage(self, *args, quiet=True):
        subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL if quiet else None,
        )

    def scheduler(self, jobs):
        """Run each timer's service at its shortened interval (first run after one interval)."""
        due = {name: time.monotonic() + interval for name, (interval, _cmd) in jobs.items()}
        with open(VAR / "logs" / "scheduler.log", "ab") as out:
            while not self.stopping.wait(1):
                for name, (interval, cmd) in jobs.items():
                    if time.monotonic() >= due[name]:
                        due[name] = time.monotonic() + interval
                        out.write(f"--- {time.strftime('%H:%M:%S')} {name}\n".encode())
                        out.flush()
                        try:
                            result = subprocess.run(
                                cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
                            )
                            status = f"exit {result.returncode}"
                        except OSError as error:  # a unit naming a missing program
                            status = f"could not start: {error}"
                            log(f"scheduled job {name} {status}")
                        out.write(f"--- {name} {status}\n".encode())
                        out.flush()

    def stop(self):
        self.stopping.set()
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
            log(f"stopped {name}")


def interval_of(calendar):
    """Seconds between runs of a systemd OnCalendar expression (the forms used in deploy/)."""
    if re.fullmatch(r"\*:0/(\d+)", calendar):
        return int(calendar.split("/")[1]) * 60
    if calendar == "hourly" or re.fullmatch(r"\*-\*-\* \*:\d+(:\d+)?", calendar):
        return 3600
    if calendar in ("daily",) or re.fullmatch(r"\*-\*-\* [\d:]+", calendar):
        return 86400
    if calendar == "weekly":
        return 7 * 86400
    if calendar == "monthly" or re.search(r"\*-\*-(01|1\.\.7) ", calendar):
        return 30 * 86400
    raise ValueError(f"unknown OnCalendar {calendar!r}")


def timer_jobs():
    jobs = {}
    for timer in sorted(DEPLOY.glob("*.timer")):
        calendar = read_unit(timer.name)["Timer"]["OnCalendar"]
        interval = max(30, round(interval_of(calendar) * DAY_SECONDS / 86400))
        jobs[timer.stem] = (interval, exec_start(timer.stem + ".service"))
    return jobs


def interrupted(signum, frame):
    # Once: a second signal (make and this script both get the group's SIGTERM, or Ctrl-C twice)
    # must not interrupt the shutdown and leave the stack running.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-db", action="store_true", help="reuse the last run's database")
    options = parser.parse_args()
    started = time.monotonic()
    for tool in ("nginx", "openssl", "psql", "createdb", "pg_dump"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is missing (apt-get install nginx openssl postgresql-client).")
    for folder in ("logs", "nginx", "tiles", "media"):
        (VAR / folder).mkdir(parents=True, exist_ok=True)
    (VAR / "ready").unlink(missing_ok=True)
    env_values = render_env(secrets.token_urlsafe(64))
    env = {**os.environ, **env_values}
    stack = Stack(env)
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    try:
        log(f"rendering deploy/ into {VAR}")
        make_certificate()
        log(f"{make_tiles()} tiles drawn (zoom {TILE_ZOOMS.start}-{TILE_ZOOMS.stop - 1})")
        conf = render_nginx()
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-q", "-p", str(VAR), "-c", str(conf)], check=True, env=env)
        moto = stack.start(
            "s3", [str(ROOT / ".venv/bin/moto_server"), "-H", "127.0.0.1", "-p", str(S3_PORT)]
        )
        wait_for(lambda: port_open(S3_PORT), "moto's S3 server")
        if moto.poll() is not None:
            raise RuntimeError("moto's S3 server stopped (port 9100 in use?)")
        create_buckets()
        if not options.keep_db:
            subprocess.run(
                ["psql", f"{PG}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'],
                check=True,
            )
            subprocess.run(["psql", f"{PG}/postgres", "-qc", f'CREATE DATABASE "{DB}"'], check=True)
        log("migrate, collectstatic, compilemessages")
        stack.manage("migrate", "--no-input", "-v", "0")
        stack.manage("collectstatic", "--no-input", "-v", "0")
        stack.manage("compilemessages", "--ignore=.venv", "--ignore=var", "-v", "0")
        if not options.keep_db:
            log("demo content (load_demo --force: demo accounts, for the rehearsal only)")
            stack.manage("load_demo", "--force")
        # The environment file now holds everything: the units read it as systemd would.
        socket_path = read_unit("baronnies.socket")["Socket"]["ListenStream"]
        Path(socket_path).unlink(missing_ok=True)
        stack.start(
            "gunicorn",
            [*exec_start("baronnies.service"), "--bind", f"unix:{socket_path}"],
            unit="baronnies.service",
        )
        wait_for(lambda: Path(socket_path).exists(), "gunicorn")
        stack.start(
            "worker", exec_start("baronnies-worker.service"), unit="baronnies-worker.service"
        )
        stack.start("nginx", [nginx, "-p", str(VAR), "-c", str(conf), "-g", "daemon off;"])
        wait_for(lambda: port_open(HTTPS_PORT), "nginx")
        jobs = timer_jobs()
        missing = sorted(name for name, (_i, cmd) in jobs.items() if not Path(cmd[0]).exists())
        if missing:
            raise SystemExit(f"deploy/ units name a program that does not exist here: {missing}")
        threading.Thread(target=stack.scheduler, args=(jobs,), daemon=True).start()
        (VAR / "ready").write_text(f"{os.getpid()}\n")
        elapsed = time.monotonic() - started
        print(
            f"""
  The production stack is up ({elapsed:.0f} s), rendered from deploy/ into {VAR}:
    Site:   https://127.0.0.1:{HTTPS_PORT}/   (English: /en/; self-signed certificate)
    Admin:  https://127.0.0.1:{HTTPS_PORT}/admin/
    HTTP:   http://127.0.0.1:{HTTP_PORT}/ redirects to HTTPS
    Tiles:  https://127.0.0.1:{TILE_PORT}/{{z}}/{{x}}/{{y}}.png    S3 (moto): http://127.0.0.1:{S3_PORT}/
    PostgreSQL database {DB}, Redis {REDIS_URL}, gunicorn on {socket_path}
    Scheduler: {", ".join(f"{name} every {interval} s" for name, (interval, _c) in jobs.items())}
  Demo logins (rehearsal only), password demo-baronnies:
    admin (administrator) · parc (park staff, moderator) · asoft, cigale (member editors)
  Logs in {VAR}/logs/. Stop with Ctrl-C (or SIGTERM to pid {os.getpid()}).
""",
            flush=True,
        )
        while True:
            stack.supervise()
            time.sleep(1)
    except KeyboardInterrupt:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        log("stopping")
    except Exception as error:  # any failure stops what was started (no stray nginx or S3 server)
        log(f"failed: {error!r}")
        stack.stop()
        (VAR / "ready").unlink(missing_ok=True)
        sys.exit(1)
    stack.stop()
    (VAR / "ready").unlink(missing_ok=True)
    log("stopped everything it started")


if __name__ == "__main__":
    main()
