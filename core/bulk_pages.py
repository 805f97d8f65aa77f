"""Create many published pages at once (imports of thousands of rows, benchmark generators).

Wagtail's one-by-one path (``add_child``, ``save_revision``, ``publish``) costs some 160 queries
and three search-index updates per page: about 10 pages a second. ``create_published_pages``
writes the same rows in a fixed number of queries per batch: the pages with their tree paths, the
specific tables, the many-to-many links, one revision each (live and latest) and the "created"
and "published" history entries. It sends no per-page signal: the caller updates the search index
(``index_pages``) and clears caches once for the whole batch. Wagtail's reference index (image and
snippet usage) is written here, in bulk, for every page inserted. ``insert_pages`` is the same
without revisions and history, for generated volumes (bench/generate.py).

The tree stays valid: the parent row is locked while its children's paths are computed, and its
``numchild`` is updated in the same transaction. Call it inside ``transaction.atomic()``.

What it cannot write, it refuses: a page carrying inline children (ParentalKey relations such as
photos) or tags raises ``UnwritableRelation`` before anything is written. It relies on a few
private APIs (treebeard's ``_get_path``/``_str2int``, Django's ``_insert(raw=True)``, Wagtail's
``ReferenceIndex._extract_references_from_object``); tests/test_bulk_pages.py fails loudly if an
upgrade changes them.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision

from .db import IntArray

BATCH = 500


class UnwritableRelation(ValueError):
    """A page given to the bulk insert holds related objects it does not write."""


def insert_pages(parent, pages, published_at=None, owner=None):
    """Insert ``pages`` (unsaved instances of specific page models, fields and
    ParentalManyToManyFields set) as live children of ``parent``, without revisions (generators;
    ``create_published_pages`` adds them). Returns the pages, saved."""
    if not pages:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("insert_pages must run inside transaction.atomic()")
    _refuse_unwritable_relations(pages)
    parent = Page.objects.select_for_update().get(pk=parent.pk)
    slugs = [page.slug for page in pages]
    taken = set(parent.get_children().filter(slug__in=slugs).values_list("slug", flat=True))
    if taken or len(set(slugs)) != len(slugs):
        raise ValidationError(
            _("Adresse (slug) déjà prise sous « %(parent)s » : %(slugs)s")
            % {"parent": parent.title, "slugs": ", ".join(sorted(taken) or slugs)}
        )
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = Page._str2int(last[-Page.steplen :]) if last else 0
    published_at = published_at or timezone.now()
    for page in pages:
        step += 1
        page.path = Page._get_path(parent.path, parent.depth + 1, step)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.content_type = ContentType.objects.get_for_model(type(page))
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = page.latest_revision_created_at = (
            published_at
        )
        page.owner = owner
    _insert_page_rows(pages)
    _insert_specific_rows(pages)
    _index_references(pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return pages


def create_published_pages(parent, pages, user=None):
    """``insert_pages``, then one revision each (live and latest) and the "created" and
    "published" history entries, as Wagtail's publication would leave them."""
    pages = insert_pages(parent, pages, owner=user)
    if not pages:
        return []
    now = pages[0].last_published_at
    page_type = ContentType.objects.get_for_model(Page)
    # Each content as one expression: Django then binds it as one JSON parameter, where its
    # bulk insert through arrays (PostgreSQL's UNNEST) has the driver escape every quote of
    # every content in Python (1 s per 10,000 pages).
    content = Revision._meta.get_field("content")
    revisions = [
        Revision(
            content_type_id=page.content_type_id,
            base_content_type_id=page_type.pk,
            object_id=str(page.pk),
            created_at=now,
            user=user,
            object_str=str(page),
            content=Value(page.serializable_data(), output_field=content),
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions, batch_size=BATCH)
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision_id = page.live_revision_id = revision.pk
    # Each new page has one revision, the newest for its id: one statement links them all
    # (``bulk_update`` builds a CASE of one branch per page, which costs more Python than the
    # inserts).
    revision = Subquery(
        Revision.objects.filter(
            base_content_type_id=page_type.pk, object_id=Cast(OuterRef("pk"), CharField())
        )
        .order_by("-pk")
        .values("pk")[:1]
    )
    Page.objects.filter(id__any_of=IntArray([page.pk for page in pages])).update(
        latest_revision_id=revision, live_revision_id=revision
    )
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type_id=page.content_type_id,
                label=str(page)[:255],
                action=action,
                timestamp=now,
                user=user,
                page_id=page.pk,
                revision=revision if action == "wagtail.publish" else None,
                content_changed=True,
                data={},
            )
            for page, revision in zip(pages, revisions, strict=True)
            for action in ("wagtail.create", "wagtail.publish")
        ],
        batch_size=BATCH,
    )
    return pages


def _insert_page_rows(pages):
    """The ``wagtailcore_page`` rows of ``pages``, written from the specific pages themselves
    (``bulk_create`` refuses models with several tables), then each page's id and every parent
    link of its inheritance chain (``page_ptr_id``, and for a page extending another page type,
    that type's link too)."""
    fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    batch = max(1, min(BATCH, connection.ops.bulk_batch_size(fields, pages)))
    for start in range(0, len(pages), batch):
        chunk = pages[start : start + batch]
        # One INSERT … RETURNING id per batch (PostgreSQL, SQLite ≥ 3.35).
        ids = [
            row[0]
            for row in Page._base_manager._insert(
                chunk, fields=fields, returning_fields=Page._meta.db_returning_fields
            )
        ]
        for page, pk in zip(chunk, ids, strict=True):
            page.id = pk
            for model in (type(page), *type(page)._meta.get_parent_list()):
                for link in model._meta.parents.values():
                    if link is not None:
                        setattr(page, link.attname, pk)


def _refuse_unwritable_relations(pages):
    """Inline children and tags (ParentalKey relations) are not written: refuse such pages rather
    than drop their content. The pages are new, so each relation is then known to be empty: say so
    to modelcluster, which would otherwise query the database for it."""
    for page in pages:
        pending = page.__dict__.setdefault("_cluster_related_objects", {})
        for relation in get_all_child_relations(type(page)):
            name = relation.get_accessor_name()
            if pending.get(name):
                raise UnwritableRelation(
                    f"{type(page).__name__} « {page.title} »: the bulk insert does not write "
                    f"{name!r}; create this page with Wagtail's add_child() instead."
                )
            pending[name] = []


def _index_references(pages):
    """Wagtail's reference index rows of new pages, as ``ReferenceIndex.create_or_update_for_object``
    would write them (a new page has none yet), in a few queries for the whole batch."""
    rows = []
    for page in pages:
        if not ReferenceIndex.is_indexed(type(page)):
            continue
        content_types = [
            ContentType.objects.get_for_model(model_or_object, for_concrete_model=False)
            for model_or_object in [page, *page._meta.get_parent_list()]
        ]
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(page)
        ):
            rows.append(
                ReferenceIndex(
                    content_type=content_types[0],
                    base_content_type=content_types[-1],
                    object_id=page.pk,
                    to_content_type_id=to_type,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
    ReferenceIndex.objects.bulk_create(rows, batch_size=BATCH * 2)


def _insert_specific_rows(pages):
    """The rows of the specific tables (from the most generic to the page's own model) and the
    many-to-many links, for every model in the inheritance chain below Page."""
    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, model_pages in by_model.items():
        chain = [
            m
            for m in reversed(model._meta.get_parent_list())
            if issubclass(m, Page) and m is not Page
        ]
        for concrete in [*chain, model]:
            if concrete._meta.abstract or concrete is Page:
                continue
            fields = list(concrete._meta.local_concrete_fields)
            for start in range(0, len(model_pages), BATCH):
                concrete._base_manager._insert(
                    model_pages[start : start + BATCH], fields=fields, raw=True
                )
        for field in model._meta.get_fields():
            if isinstance(field, ParentalManyToManyField):
                through = field.remote_field.through
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                # New pages have no links in the database: only the values assigned in memory
                # (modelcluster keeps them until the page is saved); reading the manager would
                # query the database once per page and relation.
                links = [
                    through(**{f"{source}_id": page.pk, f"{target}_id": linked.pk})
                    for page in model_pages
                    for linked in getattr(page, "_cluster_related_objects", {}).get(field.name)
                    or ()
                ]
                through.objects.bulk_create(links, batch_size=BATCH * 4)


def index_pages(pages, reload=True):
    """Add ``pages`` to the search index in bulk (``core.search_index``). Each model's pages are
    read again as ``update_index`` reads them, their related search fields loaded once per model;
    with ``reload=False``, pages that ``create_published_pages`` has just written are indexed from
    memory: they hold every value as it was written, their related objects as assigned."""
    from .search_index import add_bulk, indexed_objects, refresh_title_norms

    by_model = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for model, model_pages in by_model.items():
        if reload:
            pks = IntArray([page.pk for page in model_pages])
            model_pages = indexed_objects(model).filter(id__any_of=pks)
        add_bulk(model, model_pages, refresh_norms=False)
    if by_model:
        refresh_title_norms(Page)  # one refresh for every model: they share the index table
