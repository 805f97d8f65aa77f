from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class CustomImage(AbstractImage):
    """An image with a required alternative text and a credit line shown under it."""

    description = models.CharField(
        verbose_name=_("texte alternatif"),
        max_length=255,
        help_text=_(
            "Décrivez l'image pour les personnes qui ne la voient pas "
            "(lecteur d'écran). Obligatoire."
        ),
    )
    credit = models.CharField(
        verbose_name=_("crédit"),
        max_length=255,
        blank=True,
        help_text=_("Auteur ou source de l'image, affiché sous l'image."),
    )

    admin_form_fields = (*Image.admin_form_fields, "credit")

    @property
    def alt_text(self):
        return self.description

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
