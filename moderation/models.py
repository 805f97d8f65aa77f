"""Each moderator's choice: one e-mail per submission (Wagtail's default) or one daily summary."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ModerationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_preference"
    )
    daily_summary = models.BooleanField(
        _("un résumé quotidien au lieu d'un courriel par proposition"),
        default=False,
        help_text=_(
            "Chaque matin, un seul courriel liste ce qui attend votre validation. "
            "Vous ne recevez plus un courriel à chaque proposition."
        ),
    )
    last_summary_at = models.DateTimeField(_("dernier résumé envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("préférence de modération")
        verbose_name_plural = _("préférences de modération")

    def __str__(self):
        return str(self.user)


def summary_user_ids():
    return set(
        ModerationPreference.objects.filter(daily_summary=True).values_list("user_id", flat=True)
    )
