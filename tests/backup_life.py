"""A site that has lived, for the backup round-trip (tests/test_backup_restore.py).

``live_a_little()`` creates, copies, moves, deletes, translates and moderates pages, takes a
registration, uploads an image (with a rendition) and a private document. ``summary()`` says what a
restore must give back. Both run in the test process or, through ``manage.py shell``, in another.
"""

import hashlib
import io
import json


def live_a_little():
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.actions.delete_page import DeletePageAction
    from wagtail.actions.move_page import MovePageAction
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction, Locale, Site, Workflow

    from home.models import StandardPage
    from images.models import CustomImage
    from users.models import User

    root = Site.objects.get(is_default_site=True).root_page.specific
    editor = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "backup-admin", "backup-admin@example.org", "a-long-backup-password"
    )

    def new_page(parent, title, slug):
        page = StandardPage(title=title, slug=slug)
        parent.add_child(instance=page)
        page.save_revision(user=editor).publish(user=editor)
        return page

    lived = new_page(root, "Page vécue", "page-vecue")
    moved = new_page(root, "Page déplacée", "page-deplacee")
    gone = new_page(root, "Page supprimée", "page-supprimee")
    gone.title = "Page supprimée (modifiée)"
    gone.save_revision(user=editor).publish(user=editor)
    lived.copy(to=root, update_attrs={"slug": "page-copiee", "title": "Page copiée"}, user=editor)
    MovePageAction(moved, lived, pos="last-child", user=editor).execute(skip_permission_checks=True)
    DeletePageAction(gone, user=editor).execute(skip_permission_checks=True)

    english, _ = Locale.objects.get_or_create(language_code="en")
    translated = lived.copy_for_translation(english, copy_parents=True)
    translated.title = "Lived page"
    translated.save_revision(user=editor)

    # Moderation: one revision approved through the workflow, one still waiting.
    workflow = Workflow.objects.filter(active=True).first()
    lived.title = "Page vécue (relue)"
    lived.save_revision(user=editor)
    state = workflow.start(lived, editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, editor, "approve")
    waiting = lived.get_children().first().specific
    waiting.title = "Page déplacée (en attente)"
    waiting.save_revision(user=editor)
    workflow.start(waiting, editor)

    try:
        from events.models import EventPage, Registration
    except ImportError:  # pragma: no cover - the events app is part of the project
        EventPage = None
    if EventPage is not None and EventPage.objects.exists():
        Registration.objects.create(
            event=EventPage.objects.order_by("pk").first(), name="Inès", email="ines@example.org"
        )

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 160, 90)).save(buffer, "PNG")
    image = CustomImage(
        title="Vue des Baronnies", description="Collines au printemps", credit="Parc"
    )
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="vue-baronnies.png")
    image.save()
    image.get_rendition("fill-32x24")

    private = Collection.get_first_root_node().add_child(name="Documents internes")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    Document.objects.create(
        title="Compte rendu interne",
        file=ContentFile(b"%PDF-1.4\n% compte rendu\n", name="compte-rendu.pdf"),
        collection=private,
    )


def summary():
    from django.core.files.storage import default_storage
    from wagtail.documents.models import Document
    from wagtail.models import Page, PageLogEntry, Revision, WorkflowState

    from core.backup import media_digest
    from images.models import CustomImage, CustomRendition

    def digest(name):
        with default_storage.open(name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()

    page_ids = set(Page.objects.values_list("pk", flat=True))
    logs = list(
        PageLogEntry.objects.order_by("pk").values_list("page_id", "action", "label", "timestamp")
    )
    try:
        from events.models import Registration

        registrations = sorted(
            [r.event.url_path, r.email] for r in Registration.objects.select_related("event")
        )
    except ImportError:  # pragma: no cover
        registrations = []
    result = {
        "pages": sorted(
            [p.pk, p.url_path, p.title, p.live, p.locale.language_code, p.content_type.model]
            for p in Page.objects.select_related("locale", "content_type")
        ),
        "revisions": sorted(
            [r.pk, r.object_id, r.base_content_type.model, str(r.content.get("title"))]
            for r in Revision.objects.select_related("base_content_type")
        ),
        "workflow_states": sorted(
            [s.object_id, s.status, s.current_task_state.status if s.current_task_state else None]
            for s in WorkflowState.objects.select_related("current_task_state")
        ),
        "log_entries": [[pk, action, label, str(when)] for pk, action, label, when in logs],
        "deleted_pages_log_entries": sum(1 for entry in logs if entry[0] not in page_ids),
        "images": sorted(
            [i.title, i.description, i.file.name, digest(i.file.name)]
            for i in CustomImage.objects.all()
        ),
        "renditions": sorted(
            [r.image.title, r.filter_spec, r.file.name, digest(r.file.name)]
            for r in CustomRendition.objects.select_related("image")
        ),
        "documents": sorted(
            [d.title, d.collection.name, d.file.name, digest(d.file.name)]
            for d in Document.objects.select_related("collection")
        ),
        "registrations": registrations,
        "media": media_digest(),
    }
    return json.loads(json.dumps(result, default=str))


def print_summary():
    print("SUMMARY " + json.dumps(summary()))
