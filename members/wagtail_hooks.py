from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
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
    form_fields = ["name", "slug", "calendar_url"]
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


@hooks.register("register_admin_urls")
def register_translation_urls():
    from .translation_report import TranslationStatusReportView
    from .translation_views import submit_for_moderation

    return [
        path(
            "reports/traductions/",
            TranslationStatusReportView.as_view(),
            name="members_translation_report",
        ),
        path(
            "reports/traductions/results/",
            TranslationStatusReportView.as_view(results_only=True),
            name="members_translation_report_results",
        ),
        path(
            "translations/<int:translation_id>/submit/",
            submit_for_moderation,
            name="members_translation_submit",
        ),
    ]


@hooks.register("register_page_header_buttons")
def member_translation_buttons(page, user, next_url=None, view_name=None):
    """wagtail-localize shows "Translate this page" to holders of its global permission only
    (the park's staff); member editors get the same buttons on the pages they may translate."""
    from wagtail.models import Locale
    from wagtail_localize.models import TranslationSource

    from .translation_access import is_translation_staff, translatable_locales

    if page.is_root() or is_translation_staff(user) or page.alias_of_id:
        return []
    buttons = []
    existing = page.get_translations(inclusive=True).filter(alias_of__isnull=True)
    missing = Locale.objects.exclude(pk__in=existing.values_list("locale_id", flat=True))
    if translatable_locales(user, page, missing):
        buttons.append(
            ListingButton(
                _("Traduire cette page"),
                url=reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
                icon_name="wagtail-localize-language",
                priority=60,
            )
        )
    source = TranslationSource.objects.get_for_instance_or_none(page)
    if source is not None and source.translations.filter(enabled=True).exists():
        buttons.append(
            ListingButton(
                _("Mettre à jour les traductions"),
                url=reverse("wagtail_localize:update_translations", args=[source.pk]),
                icon_name="resubmit",
                priority=61,
            )
        )
    return buttons


@hooks.register("before_edit_page", order=-1)
def edit_alias_translation(request, page):
    from .translation_views import edit_alias_translation as view

    return view(request, page)


@hooks.register("before_convert_alias_page")
def refuse_alias_conversion(request, page):
    from .translation_views import refuse_alias_conversion as check

    return check(request, page)


class ParkStaffMenuItem(MenuItem):
    def is_shown(self, request):
        from .roles import is_park_staff

        return request.user.is_superuser or is_park_staff(request.user)


@hooks.register("register_reports_menu_item")
def register_translation_report_menu_item():
    return ParkStaffMenuItem(
        _("Traductions à faire"),
        reverse("members_translation_report"),
        icon_name="wagtail-localize-language",
        order=8900,
    )


@hooks.register("construct_homepage_summary_items", order=100)
def count_only_the_section_pages(request, items):
    """A member editor's dashboard counts (and links to) its own section's pages."""
    for index, item in enumerate(items):
        if type(item) is PagesSummaryItem:
            items[index] = SectionPagesSummaryItem(request)
