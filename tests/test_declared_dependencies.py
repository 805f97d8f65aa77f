"""pyproject.toml declares every distribution the code imports directly: the site's modules and
its settings need the runtime ``dependencies``, the tests and scripts may also use the ``test``
extra. (A package that only comes along with another one could vanish with its next release.)
An import guarded by ``except ImportError`` is optional and need not be declared."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
TOOLING = {"tests", "scripts", "bench"}


def declared(*groups):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for group in groups:
        requirements += project["optional-dependencies"][group]
    return {
        re.match(r"[A-Za-z0-9._-]+", line).group().lower().replace("_", "-")
        for line in requirements
    }


def optional_imports(tree):
    """The import statements inside a ``try`` whose handlers catch ImportError."""
    optional = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            "ImportError" in ast.unparse(handler.type) for handler in node.handlers if handler.type
        ):
            optional |= {id(inner) for statement in node.body for inner in ast.walk(statement)}
    return optional


def imported_distributions(tooling):
    """{distribution: first file importing it} for the project's modules (or its tooling)."""
    local = {path.name for path in ROOT.iterdir() if path.is_dir()} | {"manage", "generate"}
    providers = importlib.metadata.packages_distributions()
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0].startswith(".") or (relative.parts[0] in TOOLING) != tooling:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        optional = optional_imports(tree)
        for node in ast.walk(tree):
            if id(node) in optional:
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in local or top in sys.stdlib_module_names:
                    continue
                for distribution in providers.get(top, [top]):
                    found.setdefault(distribution.lower().replace("_", "-"), relative.as_posix())
    return found


def test_the_site_imports_only_declared_runtime_dependencies():
    modules = imported_distributions(tooling=False)
    for app in settings.INSTALLED_APPS:  # apps named in the settings only (modelcluster, taggit…)
        top = app.split(".")[0]
        for distribution in importlib.metadata.packages_distributions().get(top, []):
            modules.setdefault(distribution.lower().replace("_", "-"), "INSTALLED_APPS")
    undeclared = {name: where for name, where in modules.items() if name not in declared()}
    assert undeclared == {}


def test_tests_and_scripts_import_only_declared_dependencies():
    undeclared = {
        name: where
        for name, where in imported_distributions(tooling=True).items()
        if name not in declared("test")
    }
    assert undeclared == {}
