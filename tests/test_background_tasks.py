"""Work off the request: tasks run at once in tests (immediate backend), by a worker in production."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import caches
from django_tasks import task_backends

from core.tasks import generate_renditions_task, send_bulk_email_task, update_search_index_task
from images.models import CustomImage

pytestmark = pytest.mark.django_db


def test_development_and_tests_use_the_immediate_backend():
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    assert type(task_backends["default"]).__name__ == "ImmediateBackend"


def test_production_uses_the_database_backend_when_told(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("TASKS_BACKEND", "database")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
        assert "django_tasks_db" in reloaded.INSTALLED_APPS
    finally:
        monkeypatch.delenv("TASKS_BACKEND")
        importlib.reload(base)


def test_bulk_email_sends_one_message_per_recipient():
    recipients = [f"membre{i}@example.org" for i in range(120)]
    result = send_bulk_email_task.enqueue(
        "Rappel mensuel", "Pensez à mettre à jour votre fiche.", recipients
    )
    assert result.return_value == 120
    assert len(mail.outbox) == 120
    assert all(len(message.to) == 1 for message in mail.outbox)


def test_rendition_task_makes_the_renditions_templates_use():
    caches["renditions"].clear()
    image = CustomImage.objects.first()
    image.renditions.all().delete()
    generate_renditions_task.enqueue(image.pk)
    specs = set(image.renditions.values_list("filter_spec", flat=True))
    assert {"format-avif|width-800", "format-webp|width-800", "format-webp|fill-400x225"} <= specs


def test_uploading_an_image_enqueues_its_renditions(settings, django_capture_on_commit_callbacks):
    from core.demo import demo_image

    settings.IMAGES_PREPARE_RENDITIONS = True
    with django_capture_on_commit_callbacks(execute=True):
        image = demo_image("Image envoyée pour le test", "Une colline", seed=3, size=(320, 200))
    assert image.renditions.filter(filter_spec="format-avif|width-400").exists()


def test_search_index_task_rebuilds_the_index():
    result = update_search_index_task.enqueue()
    assert result.status.name == "SUCCESSFUL"
