"""Every app connects its signal handlers in one place: its ``signal_handlers.py``, whose
``register_signal_handlers()`` its ``AppConfig.ready()`` calls (docs/architecture.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_APPS = {
    "tests",
    "scripts",
    "bench",
    "config",
    "deploy",
    "docs",
    "locale",
    "templates",
    "assets",
    "var",
}
# A handler disconnected for the length of an import and connected again: not a wiring.
RECONNECTS = {"directory/importer.py"}


def app_modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if (
            relative.parts[0] in NOT_APPS
            or relative.parts[0].startswith(".")
            or "migrations" in relative.parts
        ):
            continue
        yield relative.as_posix(), path


def wirings(source):
    """Line numbers of ``@receiver`` decorators and ``<signal>.connect(`` calls."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if getattr(target, "id", getattr(target, "attr", None)) == "receiver":
                    yield node.lineno
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "connect"
            and node.args
        ):
            yield node.lineno


def test_signals_are_connected_only_in_signal_handlers_modules():
    found = [
        f"{name}:{line}"
        for name, path in app_modules()
        if not name.endswith("/signal_handlers.py") and name not in RECONNECTS
        for line in wirings(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_every_signal_handlers_module_is_registered_from_its_app_config():
    for name, path in app_modules():
        if name.endswith("/signal_handlers.py"):
            assert "def register_signal_handlers(" in path.read_text(encoding="utf-8"), name
            apps = (path.parent / "apps.py").read_text(encoding="utf-8")
            assert "from .signal_handlers import register_signal_handlers" in apps, name
            assert "register_signal_handlers()" in apps, name
