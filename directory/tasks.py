"""Directory work done off the request (see core/tasks.py for the task framework)."""

from django_tasks import task


@task()
def warm_exports_task():
    """After entries change: make the cached full GeoJSON again (thousands of entries take a
    second or more), so that partners pulling the export get it from the cache."""
    from .opendata import warm_exports

    warm_exports()
