"""``{% fragment "name" value … %}…{% endfragment %}``: a piece of a page rendered once per content
version and kept in this process (core/page_cache.py ``version_memo``).

For markup that only published content decides (listing cards): the key is the name, the values
given (everything inside that varies: ids, heading level…), the language and the host. Never for
anything that depends on the visitor (a form with its CSRF token, the user, messages), nor on the
time or the query string unless they are among the values. Previews (drafts) are rendered, never kept.
"""

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from core.page_cache import version_memo

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist = nodelist
        self.vary_on = vary_on

    def render(self, context):
        request = context.get("request")
        if getattr(request, "is_preview", False):
            return self.nodelist.render(context)  # a draft's content: never kept
        values = tuple(str(value.resolve(context)) for value in self.vary_on)
        host = request.get_host() if request is not None else ""
        key = ("fragment", translation.get_language(), host, *values)
        return mark_safe(version_memo(key, lambda: self.nodelist.render(context)))  # noqa: S308 - rendered markup


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            "{% fragment %} needs a name and the values it varies on"
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
