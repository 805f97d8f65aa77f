"""Production settings are secure by default and refuse an insecure start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-Zq8x!v3LmPw9rT2yB7nC4dF6gH1jK5sX0aE"


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"ALLOWED_HOSTS": "example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY is missing or too short" in result.stderr


def test_production_refuses_a_short_or_insecure_secret_key():
    for key in ("short", "django-insecure-" + "x" * 60):
        result = run_manage(
            "check", env_overrides={"SECRET_KEY": key, "ALLOWED_HOSTS": "example.org"}
        )
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", env_overrides={"SECRET_KEY": GOOD_KEY})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_check_deploy_prints_no_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "innover.example.org"},
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_base_settings_are_secure_by_default():
    from config.settings import base

    assert base.DEBUG is False
    assert base.SESSION_COOKIE_SECURE and base.CSRF_COOKIE_SECURE
    assert base.SECURE_HSTS_SECONDS >= 31536000
    assert base.X_FRAME_OPTIONS == "DENY"


def test_database_defaults_to_sqlite_with_health_checks():
    from config.settings import base

    db = base.DATABASES["default"]
    assert db["CONN_HEALTH_CHECKS"] is True
    if not os.environ.get("DATABASE_URL"):
        assert db["ENGINE"] == "django.db.backends.sqlite3"
