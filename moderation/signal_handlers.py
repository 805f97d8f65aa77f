"""Workflow e-mails: moderators who chose the daily summary are left out of the per-submission
e-mails, and a rejection's comment becomes a comment on the page that its editor can answer.

Wagtail connects its notifiers in ``wagtail.admin``'s ``ready()`` with fixed ``dispatch_uid``s.
This app (listed before ``wagtail.admin``) disconnects them if they are already connected and
connects its own subclasses under the same ``dispatch_uid``: whichever runs first, only ours stay
(Django ignores a second receiver with the same ``dispatch_uid``).
"""

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import Comment, Page, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_rejected, workflow_submitted

from .models import summary_user_ids

TASK_SUBMITTED_UID = "group_approval_task_submitted_email_notification"
WORKFLOW_SUBMITTED_UID = "workflow_state_submitted_email_notification"


class SkipDailySummaryUsers:
    def get_valid_recipients(self, instance, **kwargs):
        recipients = super().get_valid_recipients(instance, **kwargs)
        skip = summary_user_ids()
        return {user for user in recipients if user.pk not in skip}


class TaskSubmittedNotifier(SkipDailySummaryUsers, GroupApprovalTaskStateSubmissionEmailNotifier):
    pass


class WorkflowSubmittedNotifier(SkipDailySummaryUsers, WorkflowStateSubmissionEmailNotifier):
    pass


task_submitted_notifier = TaskSubmittedNotifier()
workflow_submitted_notifier = WorkflowSubmittedNotifier()


def rejection_comment(sender, instance, user=None, **kwargs):
    """Copy the moderator's rejection comment to the page's comments, where the editor can reply."""
    task_state = instance.current_task_state
    if task_state is None:
        return
    task_state = task_state.specific
    text = (task_state.get_comment() or "").strip()
    author = user or task_state.finished_by
    if not text or author is None or not isinstance(instance.content_object, Page):
        return
    page = Page.objects.get(pk=instance.content_object.pk)
    Comment.objects.create(
        page=page,
        user=author,
        text=text,
        contentpath="title",
        revision_created=page.latest_revision,
    )


def register_signal_handlers():
    task_submitted.disconnect(sender=TaskState, dispatch_uid=TASK_SUBMITTED_UID)
    task_submitted.connect(
        task_submitted_notifier, sender=TaskState, dispatch_uid=TASK_SUBMITTED_UID
    )
    workflow_submitted.disconnect(sender=WorkflowState, dispatch_uid=WORKFLOW_SUBMITTED_UID)
    workflow_submitted.connect(
        workflow_submitted_notifier, sender=WorkflowState, dispatch_uid=WORKFLOW_SUBMITTED_UID
    )
    workflow_rejected.connect(
        rejection_comment, sender=WorkflowState, dispatch_uid="moderation_rejection_comment"
    )
