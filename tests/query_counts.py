"""The SQL queries of a page's second view: the one every visitor after the first gets.

The first view warms what the process keeps for the content version (site frame, routing, locale
codes, renditions); the second is counted. Both run at one instant: the listings that the passing
time changes (home, agenda, dossiers, directory: ``BasePage.shared_context(minutes=1)``) are kept
per minute, so a minute that turned between the two views would rebuild them and add queries
that no visitor pays twice in the same minute.
"""

import contextlib
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


@contextlib.contextmanager
def stopped_clock():
    """``django.utils.timezone.now()`` returns the same instant, the real one, inside the block."""
    with mock.patch.object(timezone, "now", return_value=timezone.now()):
        yield


def second_view_queries(client, url, data=None, expected=200):
    """How many SQL queries the second view of ``url`` (with ``data``, a query string) costs."""
    with stopped_clock():
        client.get(url, data)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, data)
    assert response.status_code == expected, url
    assert response.content, url  # a rendered page, not an empty answer
    return len(captured)
