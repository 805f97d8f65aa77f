"""Work done off the request (Django's task framework, django-tasks backport).

In development and tests the immediate backend runs a task as soon as it is enqueued; in
production (TASKS_BACKEND=database) django-tasks-db stores it and `manage.py db_worker` runs it.
Arguments must be JSON-serialisable: pass primary keys, not objects.
"""

import logging

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django_tasks import task

logger = logging.getLogger(__name__)

EMAIL_BATCH_SIZE = 50


@task()
def generate_renditions_task(image_pk):
    """After an upload: create the renditions the templates use."""
    from wagtail.images import get_image_model

    from .images import generate_renditions

    image = get_image_model().objects.filter(pk=image_pk).first()
    if image is not None:
        generate_renditions(image)


@task()
def update_search_index_task():
    """After a bulk change (an import, a generator): rebuild the search index in one go."""
    call_command("update_index", verbosity=0)


@task()
def send_bulk_email_task(subject, body, recipients, from_email=None):
    """One message per recipient (nobody sees the others' addresses), sent in batches."""
    sender = from_email or settings.DEFAULT_FROM_EMAIL
    sent = 0
    with mail.get_connection() as connection:
        for start in range(0, len(recipients), EMAIL_BATCH_SIZE):
            batch = recipients[start : start + EMAIL_BATCH_SIZE]
            messages = [
                mail.EmailMessage(subject, body, sender, [address], connection=connection)
                for address in batch
            ]
            sent += connection.send_messages(messages) or 0
    logger.info("bulk e-mail %r sent to %s recipients", subject, sent)
    return sent
