import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def ld_json(data):
    """Serialise ``data`` for a <script type="application/ld+json"> block, escaped like json_script
    (<, >, & become \\u003C…, so no value can close the script element)."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_json_script_escapes))  # noqa: S308
