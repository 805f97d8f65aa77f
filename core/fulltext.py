"""Full-text search through the database search backend's own expressions, on PostgreSQL.

The backend (modelsearch) matches ``title || body @@ query`` and selects that joined vector for
every matching row: at the benchmark's volume most of a search's time. ``ranked_search`` keeps
the backend's tsquery and rank formula (so its rows and order) and matches word by word on the
title's and the body's own vectors; the directory (directory/filters.py) and the site search
(search/views.py) use it when ``on_postgres_backend()``, and the backend's own ``search()``
otherwise.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Func, IntegerField, Q
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import PlainText
from wagtail.search.backends import get_search_backend


def ranked_search(pages, q):
    """``pages`` that match ``q`` with their rank as ``_score``, as the database search backend
    finds and ranks them (its own tsquery and rank expressions, hence its rows and order).

    The backend's condition is ``title || body @@ query``: joining the two vectors of every row was
    most of a search's time, and it cannot use the index of either vector. For a plain query of
    words that must all be found (what the site and the directory send), a row matches the joined
    vectors exactly when each word's own query matches its title or its body: tested so, with the
    vectors' indexes. A word that the language's dictionary drops (``le``, ``de``) drops out of the
    backend's query too; a word that becomes several lexemes is still tested on the joined vectors.
    Any other query keeps the backend's condition, its title and body tested first."""
    results = pages.search(q, operator="and")
    compiler = results.query_compiler
    config = compiler.get_config(results.backend)
    query = compiler.build_tsquery(compiler.query, config=config)
    vectors = compiler.get_index_vectors(query)
    (title, _title_norm), (body, _boost) = vectors
    pages = pages.annotate(
        _title=title,
        _body=body,
        _text=title._combine(body, "||", False),
        _score=compiler._build_rank_expression(vectors, config),
    )
    words = word_queries(compiler, config)
    if words is None:
        return pages.filter(Q(_title=query) | Q(_body=query) | Q(_text=query))
    # An empty query (only dropped words) matches nothing, as the backend's.
    pages = pages.alias(_lexemes=Func(query, function="numnode", output_field=IntegerField()))
    pages = pages.filter(_lexemes__gt=0)
    for number, word in enumerate(words):
        lexemes = f"_lexemes_{number}"
        pages = pages.alias(
            **{lexemes: Func(word, function="numnode", output_field=IntegerField())}
        ).filter(
            Q(**{lexemes: 0})
            | Q(_title=word)
            | Q(_body=word)
            | (Q(**{f"{lexemes}__gt": 1}) & Q(_text=word))
        )
    return pages


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
    expressions ``ranked_search`` reuses (the directory's one statement, the site search)."""
    if connection.vendor != "postgresql":
        return False
    from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

    return isinstance(get_search_backend(), PostgresSearchBackend)
