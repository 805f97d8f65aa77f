"""Counts of page views and of followed contact links, per page, month and kind.

Nothing about the visitor is stored: no IP address, no cookie, no identifier, no user agent,
no referrer. A row is (page, month, kind, count)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageStat(models.Model):
    class Kind(models.TextChoices):
        VIEW = "view", _("vue de la page")
        WEBSITE = "website", _("lien vers le site web")
        PHONE = "phone", _("lien téléphone")
        EMAIL = "email", _("lien courriel")

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("mois"))  # the first day of the month
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("statistique de page")
        verbose_name_plural = _("statistiques de pages")
        constraints = [
            models.UniqueConstraint(fields=["page", "month", "kind"], name="unique_page_stat")
        ]
        indexes = [models.Index(fields=["month", "kind"], name="page_stat_month_kind")]

    def __str__(self):
        return f"{self.page_id} {self.month:%Y-%m} {self.kind}: {self.count}"
