from django.db import models
from django.utils.translation import gettext_lazy as _


class OpeningInterval(models.Model):
    """One open interval of an entry in its coming week (see ``hours.rebuild``): what the
    directory's "ouvert maintenant" and "ouvert le …" filters read, in one indexed semi-join."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("jour"))  # 0 = Monday
    start_minute = models.PositiveSmallIntegerField(_("début (minutes)"))
    end_minute = models.PositiveSmallIntegerField(_("fin (minutes)"))

    class Meta:
        verbose_name = _("plage d'ouverture")
        verbose_name_plural = _("plages d'ouverture")
        indexes = [models.Index(fields=["weekday", "start_minute", "end_minute"], name="opening_interval_lookup")]

    def __str__(self):
        return f"{self.page_id} {self.weekday} {self.start_minute}-{self.end_minute}"
