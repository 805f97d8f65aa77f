from django.core.management.base import BaseCommand, CommandError

from members.onboarding import offboard, onboard


class Command(BaseCommand):
    help = "Intègre une organisation membre en une étape (idempotent), ou retire l'accès de sa rédaction."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Nom de l'organisation, par exemple « ASOFT ».")
        parser.add_argument(
            "--offboard",
            action="store_true",
            help="Retirer les droits de sa rédaction (le contenu est conservé).",
        )

    def handle(self, *args, name, **options):
        try:
            if options.get("offboard"):
                organisation = offboard(name)
                self.stdout.write(f"Accès retiré à la rédaction de « {organisation.name} ».")
                return
            organisation = onboard(name)
        except (ValueError, RuntimeError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"« {organisation.name} » intégrée : groupe « {organisation.group.name} », "
                f"rubriques {organisation.actor_page.url_path}, {organisation.news_page.url_path}, "
                f"{organisation.events_page.url_path}, collection « {organisation.collection.name} »."
            )
        )
