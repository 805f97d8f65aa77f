"""wagtail-localize's views, with a per-page permission check, and submission to moderation.

config/urls.py mounts these views on wagtail-localize's own paths (before the admin's URLs,
so they answer first; ``reverse()`` still gives the same paths). See translation_access.
"""

import contextlib
import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import require_admin_access
from wagtail.models import DraftStateMixin, Locale, Page, WorkflowState
from wagtail_localize.components import TranslationComponentManager
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator
from wagtail_localize.views import (
    convert,
    edit_translation,
    submit_translations,
    update_translations,
)

from .translation_access import (
    can_publish_translations,
    can_translate_into,
    is_translation_staff,
    translatable_locales,
)

logger = logging.getLogger(__name__)


class ModeratedTranslationCreator(TranslationCreator):
    """wagtail-localize's TranslationCreator, with two differences:

    - a live alias stays a live alias (the French page, honestly marked as French) until a
      moderator approves its translation: wagtail-localize would convert it at once, and from
      then on every save of the translation would change what visitors read;
    - related snippets (themes, sectors…) are translated only when they have no translation
      yet, and only by the park's staff: wagtail-localize would rewrite an existing English
      theme with the French text, and a member would create shared vocabulary.
    """

    def __init__(self, user, target_locales, staff):
        super().__init__(user, target_locales)
        self.staff = staff

    def create_translations(self, instance, include_related_objects=True):
        if isinstance(instance, Page):
            instance = instance.specific
        if instance.translation_key in self.seen_objects:
            return
        if not include_related_objects:  # a related object (a snippet the page refers to)
            self.seen_objects.add(instance.translation_key)
            missing = [
                locale
                for locale in self.target_locales
                if locale.pk != instance.locale_id
                and instance.get_translation_or_none(locale) is None
            ]
            if self.staff and missing:
                TranslationCreator(self.user, missing).create_translations(
                    instance, include_related_objects=False
                )
            return
        self.seen_objects.add(instance.translation_key)
        source, _created = TranslationSource.get_or_create_from_instance(instance)
        for segment in source.relatedobjectsegment_set.all():
            self.create_translations(
                segment.object.get_instance(instance.locale), include_related_objects=False
            )
        mode = getattr(
            instance,
            "localize_default_translation_mode",
            getattr(settings, "WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE", "synced"),
        )
        for locale in self.target_locales:
            if locale.pk == source.locale_id:
                continue
            translation, _created = Translation.objects.update_or_create(
                source=source, target_locale=locale, defaults={"enabled": mode == "synced"}
            )
            self.mappings[source].append(translation)
            target = instance.get_translation_or_none(locale)
            if target is not None and target.alias_of_id:
                continue  # converted when a moderator approves (members.signal_handlers.convert_alias_on_publish)
            with contextlib.suppress(ValidationError):
                translation.save_target(
                    user=self.user, publish=not isinstance(instance, DraftStateMixin)
                )


class SubmitPageTranslationView(submit_translations.SubmitPageTranslationView):
    """ "Translate this page": allowed per page (translation_access.can_translate_into)."""

    def allowed_locales(self):
        others = Locale.objects.exclude(pk=self.object.locale_id)
        return translatable_locales(self.request.user, self.object, others)

    def get_form(self):
        form = super().get_form()
        allowed = [locale.pk for locale in self.allowed_locales()]
        form.fields["locales"].queryset = form.fields["locales"].queryset.filter(pk__in=allowed)
        if not is_translation_staff(self.request.user):
            # Each page is translated, and moderated, one at a time.
            form.fields.pop("include_subtree", None)
        return form

    @transaction.atomic
    def form_valid(self, form):
        locales = list(form.cleaned_data["locales"])
        staff = is_translation_staff(self.request.user)
        creator = ModeratedTranslationCreator(self.request.user, locales, staff)
        creator.create_translations(self.object)
        if staff and form.cleaned_data.get("include_subtree"):
            for child in self.object.get_descendants().specific():
                creator.create_translations(child)
        self.components.save(creator, sources_and_translations=creator.mappings)
        target = self.object.get_translation_or_none(locales[0]) if len(locales) == 1 else None
        names = (
            locales[0].get_display_name()
            if len(locales) == 1
            else _("{} locales").format(len(locales))
        )
        messages.success(self.request, self.get_success_message(names))
        return redirect(self.get_success_url() or self.get_default_success_url(target))

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.allowed_locales():
            raise PermissionDenied
        self.components = TranslationComponentManager.from_request(
            request, source_object_instance=self.object
        )
        return TemplateView.dispatch(self, request, *args, **kwargs)


class UpdateTranslationsView(update_translations.UpdateTranslationsView):
    """ "Sync translated pages": allowed when the user may update every translation; "publish
    immediately" only for those who may publish every translated page."""

    def target_pages(self):
        return [
            translation.get_target_instance()
            for translation in self.object.translations.filter(enabled=True).select_related(
                "target_locale"
            )
        ]

    def get_form(self):
        form = super().get_form()
        if not self.may_publish:
            form.fields.pop("publish_translations", None)
        return form

    @transaction.atomic
    def form_valid(self, form):
        if not self.may_publish:
            form.cleaned_data["publish_translations"] = False
        return super().form_valid(form)

    def dispatch(self, request, *args, **kwargs):
        self.object = self.get_object()
        source = self.object.get_source_instance()
        user = request.user
        if isinstance(source, Page):
            translations = self.object.translations.filter(enabled=True).select_related(
                "target_locale"
            )
            if not is_translation_staff(user) and not all(
                can_translate_into(user, source, t.target_locale) for t in translations
            ):
                raise PermissionDenied
            self.may_publish = can_publish_translations(user, self.target_pages())
        else:
            if not is_translation_staff(user):
                raise PermissionDenied
            self.may_publish = True
        self.components = TranslationComponentManager.from_request(
            request, source_object_instance=self.object
        )
        return TemplateView.dispatch(self, request, *args, **kwargs)


@require_POST
def machine_translate(request, translation_id):
    """wagtail-localize's view, with a clear message rather than a 500 when the service fails."""
    try:
        return edit_translation.machine_translate(request, translation_id)
    except requests.RequestException as error:
        logger.warning("machine translation failed: %s", error)
        messages.error(
            request,
            _("Le service de traduction automatique ne répond pas ; réessayez plus tard."),
        )
        translation = get_object_or_404(Translation, pk=translation_id)
        target = translation.get_target_instance()
        return redirect(reverse("wagtailadmin_pages:edit", args=[target.pk]))


def moderation_state(page):
    return (
        WorkflowState.objects.active()
        .for_instance(page)
        .select_related("current_task_state__task")
        .first()
    )


@transaction.atomic
def submit_translation_for_moderation(translation, user):
    """The translation as a new revision of the translated page, submitted to its workflow
    (resumed when it was sent back for changes, restarted when already in moderation)."""
    page = translation.get_target_instance().specific
    workflow = page.get_workflow()
    draft = translation.source.get_ephemeral_translated_instance(
        translation.target_locale, fallback=True
    )
    # A live alias keeps serving the French page until the approval converts it
    # (members.signal_handlers.convert_alias_on_publish); its revision is the translation.
    draft.alias_of_id = None
    draft.save_revision(user=user, log_action=True)
    page = Page.objects.get(pk=page.pk).specific
    state = moderation_state(page)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return state
    if state is not None:
        state.cancel(user=user)
    return workflow.start(page, user)


@require_POST
def submit_for_moderation(request, translation_id):
    """Save the translation as a new revision of the translated page, then submit that revision
    to the page's workflow ("Modération du Parc"). The page's live content is not touched: it
    changes only when a moderator approves."""
    translation = get_object_or_404(
        Translation.objects.select_related("source", "target_locale"),
        pk=translation_id,
        enabled=True,
    )
    page = translation.get_target_instance()
    if not isinstance(page, Page):
        raise PermissionDenied
    page = page.specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    workflow = page.get_workflow()
    if workflow is None:
        messages.error(request, _("Cette page n'est soumise à aucune modération."))
        return redirect(edit_url)
    try:
        submit_translation_for_moderation(translation, request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("La traduction n'a pas pu être soumise : %(errors)s")
            % {"errors": "; ".join(error.messages)},
        )
        return redirect(edit_url)
    messages.success(
        request,
        _("« %(title)s » est soumis à %(workflow)s.")
        % {"title": page.get_admin_display_title(), "workflow": workflow.name},
    )
    return redirect(edit_url)


def convert_to_alias(request, page_id):
    """wagtail-localize's "Convert to alias" makes the translated page follow its source and
    mirror its publishing state: a draft translation would go live with nobody approving it.
    Only those who may publish the page convert it."""
    page = get_object_or_404(Page, id=page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return convert.convert_to_alias(request, page_id)


def refuse_alias_conversion(request, page):
    """before_convert_alias_page: turning a live alias (the French page, marked as French) into
    an ordinary page would put it on line as an English page without moderation; only those
    who may publish it do so (a member's translation converts it when a moderator approves)."""
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return None


def edit_alias_translation(request, page):
    """before_edit_page: an alias being translated opens wagtail-localize's editor (it would
    otherwise show "Translate this page" again)."""
    if not page.alias_of_id:
        return None
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).first()
    if translation is None:
        return None
    return edit_translation.edit_translation(request, translation, page.specific)


submit_page_translation = require_admin_access(SubmitPageTranslationView.as_view())
update_page_translations = require_admin_access(UpdateTranslationsView.as_view())
machine_translate_view = require_admin_access(machine_translate)
submit_for_moderation_view = require_admin_access(submit_for_moderation)
convert_to_alias_view = require_admin_access(convert_to_alias)
