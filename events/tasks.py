"""Background work of the agenda (django-tasks): the worker runs these."""

from django_tasks import task


@task()
def import_calendars_task(only=None):
    """Import every organisation's own calendar (also `manage.py import_calendars`, on a timer)."""
    from .importer import import_all

    return import_all(only=only)
