"""Admin: an organisation's own calendar (its iCalendar URL and the last import's result).

Editors of a member organisation see their organisation(s); park staff (who may change any
organisation) see all of them. Saving the address is all an editor does: the import runs on a
timer (``manage.py import_calendars``) or at once with "Importer maintenant".
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permissions import policy_registry

from members.models import Organisation


def organisations_for(user):
    """The organisations whose calendar this user may set."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    policy = policy_registry.get_by_type(Organisation)
    if user.is_superuser or policy.user_has_permission(user, "change"):
        return Organisation.objects.filter(is_active=True)
    return Organisation.objects.filter(is_active=True, group__in=user.groups.all())


class CalendarForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["calendar_url"]
        error_messages = {
            "calendar_url": {"invalid": gettext_lazy("Cette adresse n'est pas valide (https://…).")}
        }


class CalendarSettingsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "events/admin/calendar_settings.html"
    page_title = gettext_lazy("Calendrier importé")
    header_icon = "calendar-alt"

    def dispatch(self, request, *args, **kwargs):
        self.organisations = list(organisations_for(request.user).select_related("events_page"))
        if not self.organisations:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def selected(self):
        slug = self.request.POST.get("organisation") or self.request.GET.get("organisation")
        if slug:
            return get_object_or_404(
                Organisation, pk__in=[o.pk for o in self.organisations], slug=slug
            )
        return self.organisations[0]

    def get_context_data(self, form=None, **kwargs):
        from .models import EventPage

        context = super().get_context_data(**kwargs)
        organisation = self.selected()
        flagged = []
        if organisation.events_page_id:
            flagged = list(
                EventPage.objects.child_of(organisation.events_page)
                .exclude(import_uid="")
                .filter(import_removed=True)
                .only("id", "title", "draft_title", "path", "depth")
            )
        context.update(
            organisation=organisation,
            organisations=self.organisations,
            form=form or CalendarForm(instance=organisation, prefix="calendar"),
            removed=flagged,
        )
        return context

    def get_page_subtitle(self):
        return self.selected().name

    def post(self, request, *args, **kwargs):
        organisation = self.selected()
        if "import" in request.POST:
            from .tasks import import_calendars_task

            if not organisation.calendar_url:
                messages.error(request, _("Indiquez d'abord l'adresse du calendrier."))
            else:
                import_calendars_task.enqueue(only=organisation.slug)
                messages.success(
                    request,
                    _("Importation demandée : le résultat s'affiche ci-dessous une fois terminée."),
                )
            return redirect(f"{request.path}?organisation={organisation.slug}")
        form = CalendarForm(request.POST, instance=organisation, prefix="calendar")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.save()
        messages.success(request, _("Adresse du calendrier enregistrée."))
        return redirect(f"{request.path}?organisation={organisation.slug}")
