"""Full-text search through the database search backend's own expressions, on PostgreSQL.

The backend (modelsearch) joins every index entry to its page on ``object_id = id::varchar``,
matches ``title || body @@ query`` and selects that joined vector for every matching row: at the
benchmark's volume most of a search's time. ``entry_matches`` keeps the backend's tsquery and
rank formula (so its rows and order), matches word by word on the title's and the body's own
vectors, on the entries' own table, for its caller to join to the pages by integer id: the
directory's summary statement (directory/filters.py) and ``best_ranked`` (the site search,
search/views.py), when ``on_postgres_backend()``; the backend's own ``search()`` otherwise.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection, connections
from django.db.models import CharField, F, Func, IntegerField, Q
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import PlainText
from wagtail.search.backends import get_search_backend


def best_ranked(pages, q, limit, *, through_pages=False):
    """The ``limit`` best matches of ``q`` among ``pages``, as (page id, content type id) pairs in
    the backend's order (rank, then newest id).

    The same rows, rank and order as the backend, from the other side: its index entries are
    matched and ranked on their own table (``entry_matches``), and ``pages`` (live, public, one
    language…) only say which ids may appear. Joining every match to its page row first, as the
    backend's relation does, was half of a site search's time for a common word, and its plan
    changed with the tables' statistics. By default the pages' ids are hashed as integers (cheapest
    when ``pages`` are most of the indexed pages); ``through_pages`` compares them as text, as
    stored, so that the entries' own index finds the few entries of a small set of pages (a
    language with few translations) instead of reading them all."""
    found = entry_matches(pages, q)
    pages = pages.order_by()
    if through_pages:
        found = found.filter(object_id__in=pages.values(_id=Cast("pk", CharField(max_length=50))))
    else:
        found = found.filter(_page__in=pages.values("pk"))
    found_sql, params = found.values_list(
        "_page", "content_type_id", "_score"
    ).query.sql_with_params()
    # Ranked in a subquery that the planner keeps as written (OFFSET 0): the sort then handles
    # three numbers per match, not the matches' vectors.
    sql = (
        f"SELECT page, content_type FROM ({found_sql} OFFSET 0) AS found (page, content_type, score) "  # noqa: S608 - compiled queryset
        "ORDER BY score DESC, page DESC LIMIT %s"
    )
    with connections[found.db].cursor() as cursor:
        cursor.execute(sql, (*params, limit))
        return [tuple(row) for row in cursor.fetchall()]


def entry_matches(pages, q):
    """The search backend's index entries of ``pages``' model (and the models that extend it) that
    match ``q`` as the backend matches them, each with its page's id as ``_page`` and its rank as
    ``_score`` (the backend's expression), for a caller to join to its pages by id (``best_ranked``,
    the directory's statement).

    The backend's condition is ``title || body @@ query``: joining the two vectors of every row
    cannot use the index of either. For a plain query of words that must all be found (what the
    site and the directory send), a row matches the joined vectors exactly when each word's own
    query matches its title or its body: tested so. A word that the language's dictionary drops
    (``le``, ``de``) drops out of the backend's query too; a word that becomes several lexemes is
    still tested on the joined vectors. Any other query keeps the backend's condition, its title
    and body tested first."""
    from modelsearch.backends.database.postgres.postgres import IndexEntry
    from modelsearch.utils import get_descendants_content_types_pks

    results = pages.search(q, operator="and")
    compiler = results.query_compiler
    config = compiler.get_config(results.backend)
    query = compiler.build_tsquery(compiler.query, config=config)
    # The backend's vectors (get_index_vectors) and rank, named from the entry, not the page.
    vectors = [(F("title"), F("title_norm")), (F("body"), 1.0)]
    entries = IndexEntry.objects.filter(
        content_type_id__in=get_descendants_content_types_pks(pages.model)
    ).annotate(
        _page=Cast("object_id", IntegerField()),
        _title=F("title"),
        _body=F("body"),
        _text=F("title")._combine(F("body"), "||", False),
        _score=compiler._build_rank_expression(vectors, config),
    )
    words = word_queries(compiler, config)
    if words is None:
        return entries.filter(Q(_title=query) | Q(_body=query) | Q(_text=query))
    # An empty query (only dropped words) matches nothing, as the backend's.
    entries = entries.alias(_lexemes=Func(query, function="numnode", output_field=IntegerField()))
    entries = entries.filter(_lexemes__gt=0)
    for number, word in enumerate(words):
        lexemes = f"_lexemes_{number}"
        entries = entries.alias(
            **{lexemes: Func(word, function="numnode", output_field=IntegerField())}
        ).filter(
            Q(**{lexemes: 0})
            | Q(_title=word)
            | Q(_body=word)
            | (Q(**{f"{lexemes}__gt": 1}) & Q(_text=word))
        )
    return entries


def word_queries(compiler, config):
    """One query per word of a plain "and" query, built as the backend builds the whole one
    (modelsearch's ``build_tsquery_content``), or None for a query of another shape."""
    query = compiler.query
    if not isinstance(query, PlainText) or query.operator != "and":
        return None
    words = [word for word in re.split(r"[\s\-]+", query.query_string) if word]
    if not words:
        return None
    last = len(words) - 1
    return [
        SearchQuery(
            Lexeme(word, prefix=compiler.LAST_TERM_IS_PREFIX and number == last),
            search_type="raw",
            config=config,
        )
        for number, word in enumerate(words)
    ]


def on_postgres_backend():
    """Whether the search backend is the database's own on PostgreSQL, whose tsquery and rank
    expressions ``entry_matches`` reuses (the directory's one statement, the site search)."""
    if connection.vendor != "postgresql":
        return False
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

    return isinstance(get_search_backend(), PostgresSearchBackend)
