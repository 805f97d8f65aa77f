"""Staff's view of the subscriptions: counts, recent digests, and a preview of the next digest."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .digest import preview
from .models import Digest, Subscriber

VIEW_PERMISSION = "subscriptions.view_subscriber"


class StaffOnly:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReportView(StaffOnly, WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Lettre d'information")
    header_icon = "mail"
    template_name = "subscriptions/admin/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statuses = dict(Subscriber.Status.choices)
        by_status = {
            row["status"]: row["n"]
            for row in Subscriber.objects.values("status").annotate(n=Count("pk"))
        }
        active = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
        context["by_status"] = [(statuses[key], by_status.get(key, 0)) for key in statuses]
        frequencies = dict(Subscriber.Frequency.choices)
        context["by_frequency"] = [
            (frequencies.get(row["frequency"], row["frequency"]), row["n"])
            for row in active.values("frequency").annotate(n=Count("pk")).order_by("frequency")
        ]
        languages = dict(Subscriber._meta.get_field("language").choices)
        context["by_language"] = [
            (languages.get(row["language"], row["language"]), row["n"])
            for row in active.values("language").annotate(n=Count("pk")).order_by("language")
        ]
        context["digests"] = Digest.objects.select_related("subscriber")[:20]
        context["active"] = active.order_by("email")[:200]
        chosen = self.request.GET.get("subscriber", "")
        subscriber = (
            active.filter(pk=int(chosen))
            .prefetch_related("themes", "organisations", "communes")
            .first()
            if chosen.isdigit()
            else None
        )
        if subscriber is not None:
            content, message = preview(subscriber)
            context.update(
                preview_subscriber=subscriber, preview_content=content, preview_message=message
            )
        return context


class PreviewHTMLView(StaffOnly, View):
    """The HTML part of the next digest of one subscriber, as the e-mail client would show it."""

    def get(self, request, pk):
        subscriber = get_object_or_404(
            Subscriber.objects.prefetch_related("themes", "organisations", "communes"), pk=pk
        )
        _content, message = preview(subscriber)
        html = message.alternatives[0][0]
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src *"
        )
        return response
