"""The moderator's choice, in the admin's account settings (Notifications tab)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab
from wagtail.models import GroupApprovalTask

from .forms import ModerationPreferenceForm
from .models import ModerationPreference


def can_moderate(user):
    return (
        user.is_superuser or GroupApprovalTask.objects.filter(groups__in=user.groups.all()).exists()
    )


class ModerationSummaryPanel(BaseSettingsPanel):
    name = "moderation_summary"
    title = _("Résumé de modération")
    tab = notifications_tab
    order = 150
    form_class = ModerationPreferenceForm

    def is_active(self):
        return can_moderate(self.user)

    def get_form(self):
        instance = ModerationPreference.objects.filter(
            user=self.user
        ).first() or ModerationPreference(user=self.user)
        if self.request.method == "POST":
            return self.form_class(self.request.POST, instance=instance, prefix=self.name)
        return self.form_class(instance=instance, prefix=self.name)


@hooks.register("register_account_settings_panel")
def moderation_summary_panel(request, user, profile):
    return ModerationSummaryPanel(request, user, profile)
