"""JSON serialiser for backups: natural keys, except for references to rows that no longer exist.

Wagtail keeps the history of deleted pages: ``PageLogEntry.page`` (and a log entry's ``user``) have
no database constraint, so they may point to a page or a user that is gone. Django's serialiser
follows every foreign key to write its natural key and stops there with "Page matching query
does not exist". This one writes the raw primary key instead, which ``loaddata`` reads back as is
(no constraint to break), so the history of deleted pages survives the round-trip.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import Deserializer  # noqa: F401 - loaddata reads plain JSON
from django.core.serializers.json import Serializer as JSONSerializer


class Serializer(JSONSerializer):
    def _value_from_field(self, obj, field):
        value = super()._value_from_field(obj, field)
        # Django's JSON encoder keeps milliseconds only; a restore gives back the exact times.
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return value

    def handle_fk_field(self, obj, field):
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = getattr(obj, field.attname)
