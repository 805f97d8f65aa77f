"""What is left to translate: pages with no English version, translations waiting for
moderation, and English pages older than their French original (since when).

A report for the park's staff (Rapports → Traductions à faire), and the same list restricted
to an organisation's section on its editors' dashboard (members.dashboard)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page

from core.translation_status import CURRENT, MISSING, OUTDATED, PENDING, statuses

from .roles import is_park_staff

STATES = {
    MISSING: _("Pas de version anglaise"),
    PENDING: _("Traduction en cours ou en modération"),
    OUTDATED: _("Version anglaise plus ancienne que la française"),
}


def target_locale():
    return (
        Locale.objects.exclude(language_code=Locale.get_default().language_code)
        .order_by("pk")
        .first()
    )


def to_do(originals, state=None):
    """Statuses of ``originals`` that need someone's attention, optionally one state only."""
    locale = target_locale()
    if locale is None:
        return []
    found = [s for s in statuses(originals, locale) if s.state != CURRENT]
    if state in STATES:
        found = [s for s in found if s.state == state]
    return found


class TranslationStatusReportView(ReportView):
    page_title = _("Traductions à faire")
    header_icon = "wagtail-localize-language"
    results_template_name = "members/translations/report_results.html"
    index_url_name = "members_translation_report"
    index_results_url_name = "members_translation_report_results"
    paginate_by = 100

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_superuser or is_park_staff(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        default = Locale.get_default()
        return to_do(Page.objects.filter(locale=default), self.request.GET.get("etat"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["states"] = STATES
        context["current_state"] = (
            self.request.GET.get("etat") if self.request.GET.get("etat") in STATES else ""
        )
        return context


class TranslationStatusPanel(Component):
    """An organisation's pages left to translate, on its editors' dashboard."""

    name = "members_translations"
    order = 85
    template_name = "members/dashboard/translations.html"

    def __init__(self, request, organisations):
        self.request = request
        self.organisations = organisations

    def get_context_data(self, parent_context=None):
        from .dashboard import section_q

        default = Locale.get_default()
        blocks = []
        for organisation in self.organisations:
            pages = Page.objects.filter(section_q(organisation), locale=default)
            blocks.append({"organisation": organisation, "statuses": to_do(pages)[:30]})
        return {"blocks": blocks, "states": STATES, "request": self.request}
