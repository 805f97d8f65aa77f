"""Counting searches for Wagtail's "popular searches" report, in one statement per search.

Wagtail's ``Query.get(terms).add_hit()`` reads the query, reads the day's row, then updates it:
three statements and a row lock that every concurrent search of the same words waits for. Here
the query's id is kept in this process once known, and the day's count is added by one upsert
(``INSERT … ON CONFLICT … DO UPDATE``, PostgreSQL and SQLite alike). The rows are Wagtail's own
(``QueryDailyHits``), so its report and its garbage collection are unchanged.
"""

from django.db import connection
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

_query_ids = {}
MAX_REMEMBERED = 2048


def query_for(terms):
    """Wagtail's ``Query`` row of ``terms`` (created if new), by id when this process knows it."""
    query_id = _query_ids.get(terms)
    if query_id is not None:
        query = Query(pk=query_id, query_string=terms)
        query._state.adding = False
        return query
    query = Query.get(terms)
    if len(_query_ids) >= MAX_REMEMBERED:
        _query_ids.clear()
    _query_ids[terms] = query.pk
    return query


def record_hit(terms):
    """Add one to today's count of ``terms``; returns its ``Query``.

    The row is added only if the query still exists (Wagtail's garbage collection deletes old
    ones): otherwise the query is looked up again, and the count added to the new one."""
    hits = connection.ops.quote_name(QueryDailyHits._meta.db_table)
    queries = connection.ops.quote_name(Query._meta.db_table)
    sql = (
        f"INSERT INTO {hits} (query_id, date, hits) SELECT %s, %s, 1 "  # noqa: S608 - table names from the models
        f"WHERE EXISTS (SELECT 1 FROM {queries} WHERE id = %s) "
        f"ON CONFLICT (query_id, date) DO UPDATE SET hits = {hits}.hits + 1"
    )
    for _attempt in range(2):
        query = query_for(terms)
        with connection.cursor() as cursor:
            cursor.execute(sql, [query.pk, timezone.now().date(), query.pk])
            if cursor.rowcount:
                return query
        _query_ids.pop(terms, None)
    return query
