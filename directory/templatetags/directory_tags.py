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


@register.simple_tag
def facet_options(options, group=None):
    """<option> elements for facet values (``FacetValue``), with their counts: the directory's
    commune list can hold hundreds, so they are written here rather than by one include each."""
    from django.utils.html import format_html, format_html_join

    def count(option):
        return format_html(" ({})", option.count) if option.count is not None else ""

    return format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (option.value, mark_safe(" selected") if option.selected else "", option.label, count(option))  # noqa: S308
            for option in options
            if group is None or option.group == group
        ),
    )


@register.simple_tag
def commune_options(communes, selected):
    """<option> elements for (INSEE code, name) pairs, ``selected`` being the chosen code."""
    from django.utils.html import format_html_join

    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, mark_safe(" selected") if code == selected else "", name) for code, name in communes),  # noqa: S308
    )
