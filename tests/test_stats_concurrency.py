"""Two app servers counting at once: each thread has its own database connection, as each server
process would; the first count of a month (the INSERT) and the following ones (UPDATE count =
count + 1) race, and every count must be kept (SQLite file with WAL, and PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import connection

from stats.counting import increment
from stats.models import PageStat

pytestmark = pytest.mark.django_db(transaction=True)
SERVERS = 6
HITS = 15


def test_simultaneous_counts_from_several_servers_all_add_up(committed_demo):
    from wagtail.models import Page

    page = Page.objects.order_by(
        "depth", "pk"
    ).first()  # committed: the threads' connections see it
    month = date(2031, 3, 1)  # a month nobody counted yet: the first counts race to insert the row
    start = threading.Barrier(SERVERS)
    errors = []

    def server():
        try:
            start.wait()
            for _n in range(HITS):
                increment(page.pk, "view", month=month)
                increment(page.pk, "website", month=month)
        except Exception as error:  # reported below: a lost count or a locked database
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=server) for _n in range(SERVERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    rows = {row.kind: row.count for row in PageStat.objects.filter(page_id=page.pk, month=month)}
    assert rows == {"view": SERVERS * HITS, "website": SERVERS * HITS}
