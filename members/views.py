"""Admin views: onboard or offboard a member organisation (POST after a confirmation page)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from .models import Organisation
from .onboarding import offboard, onboard


class OrganisationActionView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "members/admin/confirm_action.html"
    header_icon = "group"
    index_url_name = "members_organisation:index"
    action = None  # onboard or offboard
    page_title = ""
    question = ""
    button_label = ""
    success_message = ""

    def dispatch(self, request, *args, pk, **kwargs):
        policy = policy_registry.get_by_type(Organisation)
        if not policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.organisation = get_object_or_404(Organisation, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.organisation.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            organisation=self.organisation,
            question=self.question,
            button_label=self.button_label,
            cancel_url=self.index_url_name,
        )
        return context

    def post(self, request, *args, **kwargs):
        type(self).action(self.organisation)
        messages.success(request, self.success_message % {"name": self.organisation.name})
        return redirect(self.index_url_name)


class OnboardView(OrganisationActionView):
    action = staticmethod(onboard)
    page_title = gettext_lazy("Intégrer l'organisation")
    question = gettext_lazy(
        "Créer (ou réparer) sa rédaction : son groupe, sa fiche d'annuaire, ses rubriques "
        "d'actualités et d'agenda en français et en anglais, sa collection de médias, ses droits "
        "(sans publication) et sa place dans la modération du Parc ?"
    )
    button_label = gettext_lazy("Intégrer")

    @property
    def success_message(self):
        return _("« %(name)s » est intégrée : sa rédaction peut écrire dans sa rubrique.")


class OffboardView(OrganisationActionView):
    action = staticmethod(offboard)
    page_title = gettext_lazy("Retirer l'accès de la rédaction")
    question = gettext_lazy(
        "Retirer tous les droits de sa rédaction ? Ses pages, images et documents sont conservés."
    )
    button_label = gettext_lazy("Retirer l'accès")

    @property
    def success_message(self):
        return _("La rédaction de « %(name)s » n'a plus d'accès ; son contenu est conservé.")
