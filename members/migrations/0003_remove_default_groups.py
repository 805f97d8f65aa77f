"""Remove Wagtail's default "Editors" and "Moderators" groups and their workflow.

Wagtail creates them with rights on the whole page tree and every collection, and
wagtail-localize hands them ``submit_translation``. This site's roles are built by
members/roles.py instead; the default "Moderators approval" workflow, assigned to the root
page, is deactivated and unassigned ("Modération du Parc" replaces it on member sections).
"""

from django.db import migrations

DEFAULT_GROUPS = ["Editors", "Moderators"]


def remove_default_groups(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")

    groups = Group.objects.filter(name__in=DEFAULT_GROUPS)
    tasks = GroupApprovalTask.objects.filter(groups__in=groups).distinct()
    workflow_ids = set(
        WorkflowTask.objects.filter(task__in=tasks).values_list("workflow_id", flat=True)
    )
    WorkflowPage.objects.filter(workflow_id__in=workflow_ids).delete()
    Workflow.objects.filter(id__in=workflow_ids).update(active=False)
    tasks.update(active=False)
    # Deleting the groups cascades to their page, collection and model permissions.
    groups.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(remove_default_groups, migrations.RunPython.noop)]
