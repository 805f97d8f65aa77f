"""Monthly: e-mail each organisation's editors when its directory entry is over 12 months old.

Schedule it once a month (see deploy/ and docs/editorial.md)."""

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from members.freshness import entry_is_stale, entry_last_published
from members.models import Organisation


class Command(BaseCommand):
    help = "Envoie aux rédactions un rappel quand leur fiche d'annuaire a plus de 12 mois."

    def handle(self, *args, **options):
        now = timezone.now()
        sent = 0
        organisations = Organisation.objects.filter(
            is_active=True, group__isnull=False, actor_page__isnull=False
        ).select_related("actor_page", "group")
        with translation.override(settings.LANGUAGE_CODE):
            for organisation in organisations:
                if not entry_is_stale(organisation, now=now):
                    continue
                recipients = list(
                    organisation.group.user_set.filter(is_active=True)
                    .exclude(email="")
                    .values_list("email", flat=True)
                )
                if not recipients:
                    continue
                published = entry_last_published(organisation)
                edit_url = settings.WAGTAILADMIN_BASE_URL + reverse(
                    "wagtailadmin_pages:edit", args=[organisation.actor_page_id]
                )
                when = (
                    _("Elle a été publiée pour la dernière fois le %(date)s.")
                    % {"date": timezone.localtime(published).strftime("%d/%m/%Y")}
                    if published
                    else _("Elle n'a jamais été publiée.")
                )
                send_mail(
                    _("Votre fiche dans l'annuaire est-elle à jour ? (%(name)s)")
                    % {"name": organisation.name},
                    _(
                        "Bonjour,\n\nLa fiche de %(name)s dans l'annuaire du réseau Innover en "
                        "Baronnies provençales a plus de douze mois. %(when)s\n\nMerci de la relire "
                        "et de l'envoyer en modération si quelque chose a changé :\n%(url)s\n\n"
                        "L'équipe du Parc"
                    )
                    % {"name": organisation.name, "when": when, "url": edit_url},
                    None,
                    recipients,
                )
                sent += 1
        self.stdout.write(_("%(count)d rappel(s) envoyé(s).") % {"count": sent})
