"""Database helpers shared by the apps, with the same meaning on PostgreSQL and SQLite.

- ``field__any_of=[…]``: membership in a (possibly long) list of integers. On PostgreSQL the list
  travels as ONE array parameter (``= ANY(%s)``): a list of thousands of ids costs the driver and
  the planner next to nothing, where ``__in`` sends one placeholder per id.
- ``Unaccent(expression)``: the text without accents, for alphabetical order (É sorts with E).
  PostgreSQL uses its ``unaccent`` extension (created by core's migration 0003); SQLite gets the
  same function in Python on each new connection.
"""

import unicodedata

from django.db.models import ForeignObject, Func, IntegerField, Lookup, TextField
from django.utils.functional import cached_property


class IntArray:
    """A list of integers given to ``any_of`` once and reused by several queries: Django does not
    walk into it (it is not a list), and its PostgreSQL array literal is built once."""

    def __init__(self, values):
        self.values = [int(value) for value in values]

    @cached_property
    def literal(self):
        return "{" + ",".join(map(str, self.values)) + "}"


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        array = self.rhs if isinstance(self.rhs, IntArray) else IntArray(self.rhs)
        if connection.vendor == "postgresql":
            # The array travels as ONE string parameter: with client-side binding a Python list
            # would be dumped element by element, a cost that grows with the list.
            return f"{lhs} = ANY(%s::integer[])", [*lhs_params, array.literal]
        if not array.values:
            return "0 = 1", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(array.values))})", [*lhs_params, *array.values]


class Unaccent(Func):
    function = "UNACCENT"
    output_field = TextField()


def strip_accents(text):
    if text is None:
        return None
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created: SQLite has no UNACCENT; give it ours (core/signal_handlers.py)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, strip_accents, deterministic=True)


def register_lookups():
    IntegerField.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)  # foreign keys to integer ids (through tables)
