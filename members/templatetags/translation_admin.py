"""The moderation bar above wagtail-localize's editor: submit the translation to "Modération du
Parc" (or resubmit it), see where it stands, and, for moderators, approve or send it back."""

from django import template
from django.urls import reverse

from members.translation_views import moderation_state

register = template.Library()


@register.inclusion_tag("members/translations/moderation_bar.html", takes_context=True)
def translation_moderation_bar(context, translation, page):
    request = context["request"]
    user = request.user
    state = moderation_state(page)
    task_state = state.current_task_state if state is not None else None
    actions = []
    if state is not None and state.status == state.STATUS_IN_PROGRESS and task_state is not None:
        task = task_state.task.specific
        for name, label, _modal in task.get_actions(page, user):
            actions.append(
                {
                    "name": name,
                    "label": label,
                    "url": reverse(
                        "wagtailadmin_pages:workflow_action", args=[page.pk, name, task_state.pk]
                    ),
                }
            )
    rejected = None
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        rejected = state.current_task_state
    return {
        "request": request,
        "page": page,
        "state": state,
        "rejected": rejected,
        "actions": actions,
        "workflow": page.get_workflow(),
        "can_submit": page.permissions_for_user(user).can_edit(),
        "submit_url": reverse("members_translation_submit", args=[translation.pk]),
        "live_url": page.get_url(request) if page.live else None,
    }
