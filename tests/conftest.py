import os

import pytest
from django.core.management import call_command
from django.db import connection

from tests.opendata_fixtures import entries  # noqa: F401 - directory entries for open-data tests

# The test database as the migrations left it (serialised once, before the demo is built).
MIGRATED_STATE = {}


def pytest_addoption(parser):
    parser.addoption(
        "--edited-demo",
        action="store_true",
        help="load the demo, then edit its texts (see tests/edited_demo.py): the tests that build "
        "their own content with tests/factories.py must still pass",
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, request):
    """With --edited-demo, a test database of its own, so that --reuse-db never mixes the two."""
    if request.config.getoption("--edited-demo"):
        from django.conf import settings

        for database in settings.DATABASES.values():
            test = database.setdefault("TEST", {})
            name = test.get("NAME") or f"test_{database['NAME']}"
            test["NAME"] = (
                name.replace(".sqlite3", "-edited-demo.sqlite3")
                if name.endswith(".sqlite3")
                else f"{name}_edited_demo"
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """Build the demo site once in the test database; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        MIGRATED_STATE["json"] = connection.creation.serialize_db_to_string()
        call_command("load_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
        if request.config.getoption("--edited-demo"):
            from tests.edited_demo import edit_demo_texts

            edit_demo_texts()


@pytest.fixture
def committed_demo(transactional_db, request):
    """The demo site, committed, for tests whose data other threads or processes must see.

    Transactional tests run after the others and each ends with a flush that empties every table,
    including the rows the migrations made (root page, locales, workflow, communes). When an
    earlier one has flushed the database, put back the migrated state exactly (same ids) and build
    the demo again."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    from home.models import HomePage

    if not HomePage.objects.exists():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(MIGRATED_STATE["json"])
        reset_sequences()
        ContentType.objects.clear_cache()
        for alias in caches:
            caches[alias].clear()
        call_command("load_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        if request.config.getoption("--edited-demo"):
            from tests.edited_demo import edit_demo_texts

            edit_demo_texts()


@pytest.fixture
def demo(db):
    """The demo site's main pages, by key."""
    from home.models import HomePage

    home = HomePage.objects.get(locale__language_code="fr")
    return {"home": home, "home_en": home.get_translation(locale_en())}


def locale_en():
    from wagtail.models import Locale

    return Locale.objects.get(language_code="en")


def is_postgres():
    return connection.vendor == "postgresql"


postgres_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (set DATABASE_URL=postgres://…)",
)


def pytest_terminal_summary(terminalreporter):
    """Say how many generated inputs the property-based tests sent (tests/test_bad_input.py)."""
    from tests.report import REPORT

    for line in REPORT:
        terminalreporter.write_line(line)
    module = __import__("sys").modules.get("tests.test_bad_input")
    if module is not None and module.TRIED["inputs"]:
        terminalreporter.write_line(
            f"hypothesis: {module.TRIED['inputs']} generated inputs sent to the public pages"
        )


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: data cached by an earlier, rolled-back test
    (the site frame, the page cache, rate limits) must not leak into the next one."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield


def reset_sequences():
    """After rows were written with their ids, new rows must get ids above them (PostgreSQL)."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
