"""Freshness report: which entries their contact confirmed through the one-click link, and when."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class ConfirmedEntriesView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Fiches confirmées par leur contact")
    header_icon = "tick"
    template_name = "directory/commons/confirmed_report.html"

    def get_context_data(self, **kwargs):
        from .models import EntryVerification, FreshnessLink

        context = super().get_context_data(**kwargs)
        context["verifications"] = list(
            EntryVerification.objects.select_related("page").order_by("-verified_at")[:500]
        )
        context["pending"] = FreshnessLink.objects.filter(used_at__isnull=True).count()
        return context


@hooks.register("register_admin_urls")
def register_confirmed_urls():
    return [
        path(
            "reports/fiches-confirmees/",
            ConfirmedEntriesView.as_view(),
            name="directory_confirmed_entries",
        )
    ]


class ConfirmedMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_reports_menu_item")
def register_confirmed_menu_item():
    return ConfirmedMenuItem(
        _("Fiches confirmées"),
        reverse("directory_confirmed_entries"),
        name="directory-confirmed-entries",
        icon_name="tick",
        order=1151,
    )


class DuplicatesView(WagtailAdminTemplateMixin, TemplateView):
    """Public contributions that look like an existing entry, with both pages side by side."""

    page_title = _("Doublons possibles")
    header_icon = "warning"
    template_name = "directory/commons/duplicates_report.html"

    def get_context_data(self, **kwargs):
        from .models import DuplicateFlag, ImportedDuplicate

        context = super().get_context_data(**kwargs)
        context["flags"] = list(
            DuplicateFlag.objects.select_related("page", "similar_to").order_by("-created_at")[:500]
        )
        context["imported"] = list(
            ImportedDuplicate.objects.filter(
                status=ImportedDuplicate.Status.PENDING
            ).select_related("similar_to")[:500]
        )
        return context


def resolve_imported_duplicate(request, pk):
    """POST: the moderator links an imported row to the entry it resembles (``link``) or says it
    is another place (``distinct``: the next import creates it). Needs the right to publish that
    entry."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
    from django.shortcuts import get_object_or_404, redirect

    from .models import ImportedDuplicate
    from .national_import import link_duplicate

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    flag = get_object_or_404(
        ImportedDuplicate.objects.select_related("similar_to"),
        pk=pk,
        status=ImportedDuplicate.Status.PENDING,
    )
    if not flag.similar_to.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    action = request.POST.get("action")
    if action == "link":
        link_duplicate(flag)
        messages.success(
            request,
            _(
                "« %(name)s » est reliée à « %(title)s » : les prochains imports mettront cette entrée à jour."
            )
            % {"name": flag.name, "title": flag.similar_to.title},
        )
    elif action == "distinct":
        flag.status = ImportedDuplicate.Status.DISTINCT
        flag.save(update_fields=["status", "seen_at"])
        messages.success(
            request,
            _("« %(name)s » sera créée comme une autre entrée au prochain import.")
            % {"name": flag.name},
        )
    else:
        return HttpResponseBadRequest(_("Action inconnue."))
    return redirect("directory_duplicates")


@hooks.register("register_admin_urls")
def register_duplicates_urls():
    return [
        path("reports/doublons-possibles/", DuplicatesView.as_view(), name="directory_duplicates"),
        path(
            "reports/doublons-possibles/import/<int:pk>/",
            resolve_imported_duplicate,
            name="directory_imported_duplicate",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_duplicates_menu_item():
    return ConfirmedMenuItem(
        _("Doublons possibles"),
        reverse("directory_duplicates"),
        name="directory-duplicates",
        icon_name="warning",
        order=1152,
    )


@hooks.register("register_page_listing_buttons")
def duplicate_listing_button(page, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    from .models import DuplicateFlag

    if not page.live and page.specific_class.__name__ in ("ActorPage", "PlacePage"):
        flag = DuplicateFlag.objects.filter(page_id=page.pk).select_related("similar_to").first()
        if flag is not None:
            yield ListingButton(
                _("Doublon possible de « %(title)s »") % {"title": flag.similar_to.title},
                url=reverse("wagtailadmin_pages:edit", args=[flag.similar_to_id]),
                icon_name="warning",
                priority=1,
            )
