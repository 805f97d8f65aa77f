"""The systemd units in deploy/ describe one server layout (docs/deployment.md), so that
`make rehearsal` can run every one of them with local paths."""

import shlex
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SERVICES = sorted(DEPLOY.glob("*.service"))


def unit(path):
    sections, current = {}, None
    for line in path.read_text().replace("\\\n", " ").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        elif "=" in line:
            key, value = line.split("=", 1)
            current[key.strip()] = value.strip()
    return sections


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_every_service_runs_the_app_from_its_folder_with_its_environment(path):
    service = unit(path)["Service"]
    assert service["WorkingDirectory"] == "/srv/baronnies/app"
    assert service["EnvironmentFile"] == "/etc/baronnies/baronnies.env"
    program = shlex.split(service["ExecStart"])[0]
    assert program.startswith("/srv/baronnies/app/.venv/bin/"), program
    assert service.get("User") == "baronnies"


def test_every_timer_starts_a_service_that_exists():
    timers = sorted(DEPLOY.glob("*.timer"))
    assert timers
    for timer in timers:
        assert (DEPLOY / f"{timer.stem}.service").exists(), timer.name
        assert unit(timer)["Timer"]["OnCalendar"]
