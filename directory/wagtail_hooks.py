from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Contribution


class ContributionViewSet(SnippetViewSet):
    """Who proposed which draft entry (private: staff only, read-only fields)."""

    model = Contribution
    icon = "mail"
    menu_label = _("Propositions du public")
    add_to_admin_menu = False
    list_display = ["page", "contributor_name", "contributor_email", "created_at"]
    search_fields = ["contributor_name", "contributor_email", "message"]
    inspect_view_enabled = True


register_snippet(ContributionViewSet)
