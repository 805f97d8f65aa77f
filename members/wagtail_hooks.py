from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton

from .dashboard import panels_for
from .explorer import SectionPagesSummaryItem
from .models import Organisation
from .views import OffboardView, OnboardView


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations membres")
    add_to_admin_menu = True
    menu_order = 250
    form_fields = ["name", "slug"]
    list_display = ["name", "slug", BooleanColumn("is_active", label=_("active")), "group"]
    search_fields = ["name"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("onboard/<int:pk>/", OnboardView.as_view(), name="onboard"),
            path("offboard/<int:pk>/", OffboardView.as_view(), name="offboard"),
        ]

    @property
    def index_view_class(self):
        base = super().index_view_class

        class IndexView(base):
            def get_list_buttons(self, instance):
                buttons = super().get_list_buttons(instance)
                if self.permission_policy.user_has_permission(self.request.user, "change"):
                    buttons.insert(
                        0,
                        ListingButton(
                            _("Intégrer"),
                            url=reverse("members_organisation:onboard", args=[instance.pk]),
                            icon_name="plus",
                            priority=5,
                        ),
                    )
                    if instance.is_active and instance.group_id:
                        buttons.insert(
                            1,
                            ListingButton(
                                _("Retirer l'accès"),
                                url=reverse("members_organisation:offboard", args=[instance.pk]),
                                icon_name="cross",
                                priority=6,
                            ),
                        )
                return buttons

        return IndexView


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("members_organisation", url_prefix="organisations")


@hooks.register("construct_homepage_panels")
def add_member_panels(request, panels):
    panels.extend(panels_for(request))


@hooks.register("construct_homepage_summary_items", order=100)
def count_only_the_section_pages(request, items):
    """A member editor's dashboard counts (and links to) its own section's pages."""
    for index, item in enumerate(items):
        if type(item) is PagesSummaryItem:
            items[index] = SectionPagesSummaryItem(request)
