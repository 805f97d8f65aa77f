from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Menu
from .page_cache import declare_query


@hooks.register("before_serve_page")
def declare_page_query(page, request, serve_args, serve_kwargs):
    """The query parameters a page reads, for the page cache's key: ``cache_query_params`` on
    the page class (none by default). Listings declare theirs when they paginate."""
    declare_query(request, getattr(page, "cache_query_params", ()))


class MenuViewSet(SnippetViewSet):
    model = Menu
    icon = "list-ul"
    list_display = ["place", "locale"]


register_snippet(MenuViewSet)
