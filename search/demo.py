"""Demo: the park's staff may read the "no result" searches report."""

from django.contrib.auth.models import Group, Permission


def build(ctx):
    group = Group.objects.filter(name="Équipe du Parc").first()
    if group is not None:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label="site_search", codename="view_zeroresultquery"
            )
        )
    ctx.log("Recherche : l'équipe du Parc voit les recherches sans résultat.")
