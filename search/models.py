"""Queries that found nothing, so that staff can see what visitors miss."""

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query


class ZeroResultQuery(models.Model):
    query_string = models.CharField(_("recherche"), max_length=255)
    language = models.CharField(_("langue"), max_length=10)
    hits = models.PositiveIntegerField(_("nombre de fois"), default=0)
    last_seen = models.DateTimeField(_("dernière fois"), default=timezone.now)

    class Meta:
        verbose_name = _("recherche sans résultat")
        verbose_name_plural = _("recherches sans résultat")
        ordering = ["-hits", "query_string"]
        constraints = [
            models.UniqueConstraint(
                fields=["query_string", "language"], name="unique_zero_result_query"
            )
        ]

    def __str__(self):
        return self.query_string

    @classmethod
    def record(cls, query_string, language):
        normalised = Query(query_string=query_string)
        normalised.query_string = normalised.query_string.strip().lower()[:255]
        row, _created = cls.objects.get_or_create(
            query_string=normalised.query_string, language=language
        )
        cls.objects.filter(pk=row.pk).update(hits=F("hits") + 1, last_seen=timezone.now())
