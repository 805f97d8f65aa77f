from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .admin_views import VIEW_PERMISSION, PreviewHTMLView, ReportView
from .models import Digest, Subscriber


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    name = "subscribers"
    icon = "user"
    menu_label = _("Abonnés")
    list_display = ["email", "status", "frequency", "language", "created_at", "last_digest_at"]
    list_filter = ["status", "frequency", "language", "news", "events"]
    search_fields = ["email"]
    form_fields = [
        "news",
        "events",
        "themes",
        "organisations",
        "communes",
        "frequency",
        "language",
        "status",
    ]
    inspect_view_enabled = True
    list_export = ["email", "status", "frequency", "language", "created_at", "confirmed_at"]


class DigestViewSet(ModelViewSet):
    model = Digest
    name = "digests"
    icon = "mail"
    menu_label = _("Lettres envoyées")
    list_display = [
        "subscriber",
        "period_start",
        "period_end",
        "status",
        "articles_count",
        "events_count",
        "sent_at",
    ]
    list_filter = ["status"]
    search_fields = ["subscriber__email"]
    form_fields = ["status"]
    inspect_view_enabled = True


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


class ReportViewSet(ViewSet):
    name = "subscriptions_report"
    icon = "mail"
    menu_label = _("Vue d'ensemble et aperçu")
    url_prefix = "abonnements"

    @property
    def menu_item_class(self):
        return ReportMenuItem

    def get_urlpatterns(self):
        return [
            path("", ReportView.as_view(), name="index"),
            path("apercu/<int:pk>/", PreviewHTMLView.as_view(), name="preview_html"),
        ]


class SubscriptionsGroup(ViewSetGroup):
    menu_label = _("Lettre d'information")
    menu_icon = "mail"
    menu_order = 260
    items = (ReportViewSet, SubscriberViewSet, DigestViewSet)


@hooks.register("register_admin_viewset")
def register_subscriptions_viewsets():
    return SubscriptionsGroup()
