"""Search index rows for many pages at once (imports), the same rows as Wagtail's search backend
writes, in less time.

On PostgreSQL, modelsearch's ``add_items`` computes every indexed field of an object five times
(once for each of the title, body, autocomplete and the two plain-text columns; each time a rich
text field's HTML is stripped again), then builds and compiles one Django ``SearchVector``
expression per text into one ``VALUES`` list of some 9,000 function calls per thousand objects,
which the server takes longer to plan than to run. ``add_bulk`` here computes each field once,
with modelsearch's own ``ObjectIndexer.prepare_field`` (same values, same order), and sends the
texts as one JSON parameter per statement; the statement builds the same vectors as modelsearch's
(``setweight(to_tsvector(…))`` joined by ``||``, in the same order, with the same configuration
and weights). Objects whose texts have the same shape (number and weights of their texts) share a
statement. The columns and the ``ON CONFLICT`` clause are modelsearch's; the title norms are
refreshed once per call instead of once per thousand objects. tests/test_search_index.py compares
the rows with the ones ``update_index`` writes.

Any other backend (SQLite in development and tests) gets the backend's own ``add_bulk``.
"""

import json
import re

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from modelcluster.fields import ParentalManyToManyField
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
)
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.utils import get_content_type_pk
from wagtail.search.backends import get_search_backend

BATCH = 1000
WEIGHTS = frozenset("ABCD")
CONFIG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?")
# What modelsearch's ``SearchVector(Value(text), weight=…, config=…)`` compiles to, reading the
# text from the JSON record; and its empty vector.
VECTOR = "setweight(to_tsvector('{config}'::regconfig, COALESCE(r.{column}, '')), '{weight}')"
EMPTY = "to_tsvector(COALESCE('', ''))"
INSERT = """
    INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
    SELECT %s, r.object_id, {title}, {autocomplete}, {body}, 1.0, r.title_text, r.body_text
    FROM json_to_recordset(%s::json) AS r(object_id text, title_text text, body_text text{columns})
    ON CONFLICT (content_type_id, object_id)
    DO UPDATE SET title = EXCLUDED.title,
                  title_norm = 1.0,
                  autocomplete = EXCLUDED.autocomplete,
                  body = EXCLUDED.body,
                  title_text = EXCLUDED.title_text,
                  body_text = EXCLUDED.body_text
"""


def add_bulk(model, objects, refresh_norms=True):
    """Index ``objects`` (instances of ``model``, their related search fields loaded) as
    ``get_search_backend().add_bulk(model, objects)`` would. ``refresh_norms=False`` leaves the
    new rows' title norms to a later ``refresh_title_norms()`` (one for several models)."""
    objects = list(objects)
    if not objects:
        return
    backend = get_search_backend()
    index = backend.get_index_for_model(model)
    if not isinstance(index, PostgresIndex):
        for start in range(0, len(objects), BATCH):
            backend.add_bulk(model, objects[start : start + BATCH])
        return
    search_fields = model.get_search_fields()
    if not search_fields:
        return
    for config in (backend.config, backend.autocomplete_config):
        if not CONFIG_NAME.fullmatch(config):
            raise ValueError(f"Unexpected search configuration {config!r}")
    configs = (backend.config, backend.autocomplete_config, backend.config)
    connection = connections[router.db_for_write(IndexEntry)]
    indexer = ObjectIndexer(objects[0], backend)
    content_type_pk = get_content_type_pk(model)
    for start in range(0, len(objects), BATCH):
        by_shape = {}
        for obj in objects[start : start + BATCH]:
            title, autocomplete, body = [], [], []
            for field in search_fields:
                for found, weight, value in indexer.prepare_field(obj, field):
                    if isinstance(found, SearchField):
                        (title if found.field_name == "title" else body).append((value, weight))
                    elif isinstance(found, AutocompleteField):
                        autocomplete.append((value, weight))
            record = {
                "object_id": str(obj.pk),
                "title_text": _plain(title),
                "body_text": _plain(body),
            }
            shape = []
            for prefix, texts in zip("tab", (title, autocomplete, body), strict=True):
                # modelsearch's ``as_vector``: texts stripped, empty ones left out.
                texts = [(text.strip(), weight) for text, weight in texts]
                texts = [(text, weight) for text, weight in texts if text]
                shape.append(tuple(weight for _text, weight in texts))
                for number, (text, _weight) in enumerate(texts):
                    record[f"{prefix}{number}"] = text
            by_shape.setdefault(tuple(shape), []).append(record)
        with connection.cursor() as cursor:
            for shape, records in by_shape.items():
                cursor.execute(_statement(shape, configs), [content_type_pk, json.dumps(records)])
    if refresh_norms:
        index._refresh_title_norms()


def refresh_title_norms(model):
    """Give the rows written since the last refresh their title norm, as modelsearch does after
    each batch it indexes (the whole index's average title length over each row's own)."""
    index = get_search_backend().get_index_for_model(model)
    if isinstance(index, PostgresIndex):
        index._refresh_title_norms()


def _statement(shape, configs):
    """The INSERT for records of ``shape`` (the weights of the title's, the autocomplete's and
    the body's texts)."""
    vectors, columns = [], []
    for prefix, weights, config in zip("tab", shape, configs, strict=True):
        parts = []
        for number, weight in enumerate(weights):
            if weight not in WEIGHTS:
                raise ValueError(f"Unexpected search weight {weight!r}")
            columns.append(f", {prefix}{number} text")
            parts.append(VECTOR.format(config=config, column=f"{prefix}{number}", weight=weight))
        if not parts:
            vectors.append(EMPTY)
        elif len(parts) == 1:
            vectors.append(parts[0])
        else:
            vectors.append(f"({' || '.join(parts)})")
    return INSERT.format(
        table=IndexEntry._meta.db_table,
        title=vectors[0],
        autocomplete=vectors[1],
        body=vectors[2],
        columns="".join(columns),
    )


def _plain(texts):
    """modelsearch's ``title_text``/``body_text``: the stripped texts joined by spaces."""
    return " ".join(text.strip() for text, _weight in texts if text.strip())


def indexed_objects(model):
    """``model.get_indexed_objects()`` (what ``update_index`` reads), with the page's
    ParentalManyToManyFields that are indexed prefetched too: modelsearch leaves them out, which
    costs one query per object and relation."""
    queryset = model.get_indexed_objects()
    for field in model.get_search_fields():
        if not isinstance(field, RelatedFields):
            continue
        try:
            related = field.get_field(model)
        except FieldDoesNotExist:
            continue
        if isinstance(related, ParentalManyToManyField):
            queryset = queryset.prefetch_related(field.field_name)
    return queryset


def compact_entries_table():
    """Rewrite the index entries' table at the size of its live rows, with fresh planner
    statistics (PostgreSQL's ``VACUUM (FULL, ANALYZE)``), after a full rebuild (``update_index``,
    core/management/commands/update_index.py). Returns whether it ran.

    modelsearch's rebuild writes every entry three times (the upsert, the title norm of the new
    entries, then every entry's title norm): the table is left at three times its live size, and
    the searches, which read most of its rows (core/fulltext.py), read all of it; a plain
    ``VACUUM`` lets later writes reuse the space but keeps the file as it is. At the benchmark's
    volume: 70 MB → 23 MB in 0.6 s, during which searches wait for the table's lock.

    Only with the database search backend on PostgreSQL, and never inside a transaction, where
    ``VACUUM`` cannot run (the tests' transactions): the rebuild itself is unchanged there."""
    from core.fulltext import on_postgres_backend

    connection = connections[router.db_for_write(IndexEntry)]
    if not on_postgres_backend() or connection.in_atomic_block:
        return False
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (FULL, ANALYZE) {table}")
    return True
