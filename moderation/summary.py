"""The daily summary of pending moderation items, for the moderators who chose it."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import GroupApprovalTask, Page, TaskState
from wagtail.users.models import UserProfile

from .models import ModerationPreference


def pending_for(user):
    """In-progress approval steps this user may act on, oldest first, with their pages."""
    states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).select_related(
        "workflow_state__requested_by", "task"
    )
    if not user.is_superuser:
        tasks = GroupApprovalTask.objects.filter(groups__in=user.groups.all()).values("pk")
        states = states.filter(task__in=tasks)
    states = list(states.order_by("started_at", "pk"))
    page_ids = [
        int(s.workflow_state.object_id)
        for s in states
        if s.workflow_state.base_content_type.model == "page"
    ]
    pages = Page.objects.in_bulk(page_ids)
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    items = []
    for state in states:
        page = (
            pages.get(int(state.workflow_state.object_id))
            if state.workflow_state.object_id.isdigit()
            else None
        )
        if page is None:
            continue
        items.append(
            {
                "title": page.get_admin_display_title(),
                "requested_by": state.workflow_state.requested_by,
                "started_at": state.started_at,
                "task": state.task.name,
                "edit_url": base + reverse("wagtailadmin_pages:edit", args=[page.pk]),
                "preview_url": base
                + reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, state.task_id]),
            }
        )
    return items


def summary_recipients():
    return (
        get_user_model()
        .objects.filter(is_active=True, moderation_preference__daily_summary=True)
        .exclude(email="")
        .select_related("moderation_preference")
        .filter(Q(is_superuser=True) | Q(groups__in=GroupApprovalTask.objects.values("groups")))
        .distinct()
    )


def send_summaries(now=None, force=False):
    """One e-mail per moderator with something pending; returns (sent, skipped)."""
    now = now or timezone.now()
    sent = skipped = 0
    min_gap = timedelta(hours=20)
    for user in summary_recipients():
        preference = user.moderation_preference
        if not force and preference.last_summary_at and now - preference.last_summary_at < min_gap:
            skipped += 1
            continue
        items = pending_for(user)
        if not items:
            skipped += 1
            continue
        for item in items:
            item["is_new"] = (
                preference.last_summary_at is None
                or item["started_at"] > preference.last_summary_at
            )
        language = UserProfile.get_for_user(user).get_preferred_language() or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = ngettext(
                "Modération : %(count)s contenu attend votre validation",
                "Modération : %(count)s contenus attendent votre validation",
                len(items),
            ) % {"count": len(items)}
            context = {
                "user": user,
                "items": items,
                "subject": subject,
                "language": language,
                "account_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/")
                + reverse("wagtailadmin_account"),
                "intro": _("Voici ce qui attend votre validation ce matin."),
            }
            text = render_to_string("moderation/summary.txt", context)
            html = render_to_string("moderation/summary.html", context)
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.attach_alternative(html, "text/html")
        message.send()
        ModerationPreference.objects.filter(pk=preference.pk).update(last_summary_at=now)
        sent += 1
    return sent, skipped
