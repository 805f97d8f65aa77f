"""requirements-production.lock, what a server installs (make install-production): the site's
own packages at the versions of requirements.lock, without the tests' tools, and nothing that the
site's code imports missing from it."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UV = Path(sys.executable).with_name("uv")
NOT_THE_SITE = {"tests", "bench", "scripts", "var", "node_modules"}

# Run by the production venv's Python: every module the site's code imports, at module level or
# inside a function, must be found (except inside ``try: … except ImportError``); every module of
# the site must import (production settings).
CHECK = r"""
import ast, importlib, importlib.util, json, pathlib, sys
root = pathlib.Path.cwd()
skip = set(sys.argv[1].split(","))
packages = sorted(p.parent.name for p in root.glob("*/__init__.py") if p.parent.name not in skip)
files = [f for name in packages for f in (root / name).rglob("*.py")]
imported = set()
def optional(tree):
    # Imports inside ``try: … except ImportError`` (an optional package, such as django-anymail).
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            getattr(h.type, "id", None) in ("ImportError", "ModuleNotFoundError") for h in node.handlers
        ):
            found.update(id(n) for part in node.body for n in ast.walk(part))
    return found
for path in files:
    tree = ast.parse(path.read_text(), str(path))
    skipped = optional(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
missing = sorted(name for name in imported if importlib.util.find_spec(name) is None)
import django
django.setup()
failed = {}
for path in files:
    module = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
    try:
        importlib.import_module(module)
    except Exception as error:
        failed[module] = repr(error)
print(json.dumps({"packages": packages, "missing": missing, "failed": failed}))
"""


def pins(lock):
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==([^\s\\]+)", lock.read_text(), re.M | re.I))


def test_the_production_lock_pins_the_versions_of_the_full_lock_without_the_tests_tools():
    full, production = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-production.lock")

    assert production, "requirements-production.lock has no pinned package"
    assert {name: full.get(name) for name in production} == production
    for tool in ("pytest", "playwright", "moto", "hypothesis", "ruff"):
        assert tool in full and tool not in production


@pytest.fixture(scope="module")
def production_python(tmp_path_factory):
    """A virtual environment with requirements-production.lock only (uv's cache, no download)."""
    venv = tmp_path_factory.mktemp("venv-production")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(UV), "pip", "sync", "--quiet", "--offline", "--python", str(python)]
        + ["requirements-production.lock"],
        cwd=ROOT,
        check=True,
    )
    return python


def test_the_production_lock_has_every_module_the_site_imports(production_python):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "production-lock-test-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [str(production_python), "-c", CHECK, ",".join(NOT_THE_SITE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert {"config", "core", "directory", "search"} <= set(report["packages"])
    assert report["missing"] == []
    assert report["failed"] == {}
