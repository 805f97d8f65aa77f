"""One admin for every translatable vocabulary (``taxonomy.models.Vocabulary``): themes, sectors,
and the directory's kinds and services are listed, ordered, searched and translated alike."""

from wagtail.snippets.views.snippets import SnippetViewSet


class VocabularyViewSet(SnippetViewSet):
    icon = "tag"
    list_display = ["name", "slug", "sort_order", "locale"]
    list_filter = ["locale"]
    ordering = ["sort_order", "name"]
    # A plain database search on these columns: the rows that data migrations install are in no
    # search index.
    search_backend_name = None
    search_fields = ["name", "slug"]
