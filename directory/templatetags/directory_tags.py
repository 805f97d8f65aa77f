import json
from html import escape

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def ld_json(data):
    """Serialise ``data`` for a <script type="application/ld+json"> block, escaped like json_script
    (<, >, & become \\u003C…, so no value can close the script element)."""
    return mark_safe(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_json_script_escapes)
    )  # noqa: S308


@register.simple_tag
def facet_options(options, group=None):
    """<option> elements for facet values (``FacetValue``), with their counts. The directory's
    commune lists can hold hundreds of options: they are written here with the standard library's
    escaping (what Django's ``escape`` uses) rather than by one include or format_html each."""
    return mark_safe(  # noqa: S308 - every value and label is escaped
        "".join(
            f'<option value="{escape(str(option.value))}"{" selected" if option.selected else ""}>'
            f"{escape(str(option.label))}{f' ({option.count})' if option.count is not None else ''}</option>"
            for option in options
            if group is None or option.group == group
        )
    )


@register.simple_tag
def commune_options(communes, selected):
    """<option> elements for (INSEE code, name) pairs, ``selected`` being the chosen code."""
    return mark_safe(  # noqa: S308 - every value and label is escaped
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == selected else ""}>{escape(name)}</option>'
            for code, name in communes
        )
    )
