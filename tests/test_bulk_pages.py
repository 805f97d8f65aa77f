"""core.bulk_pages: what the bulk insert writes, what it refuses, and the private APIs it uses."""

import inspect

import pytest
from django.db import transaction
from django.db.models import QuerySet
from wagtail.models import Page, ReferenceIndex

from core.bulk_pages import UnwritableRelation, create_published_pages
from directory.models import Commune, PlacePage, PlacePhoto
from directory.pages import DirectoryIndexPage
from images.models import CustomImage

pytestmark = pytest.mark.django_db


def directory_fr():
    return DirectoryIndexPage.objects.get(locale__language_code="fr")


def new_place(n, **fields):
    commune = Commune.objects.get(insee="26220")
    return PlacePage(
        title=f"Lieu en lot {n}",
        slug=f"lieu-en-lot-{n}",
        summary="Un lieu créé en lot.",
        commune=commune,
        locale=directory_fr().locale,
        **fields,
    )


def test_bulk_inserted_pages_are_in_the_reference_index_as_wagtail_would_write_them():
    image = CustomImage.objects.first()
    assert image is not None, "the demo has images"
    with transaction.atomic():
        pages = create_published_pages(directory_fr(), [new_place(n, logo=image) for n in range(3)])
    for page in pages:
        assert (
            ReferenceIndex.get_references_for_object(page)
            .filter(to_object_id=str(image.pk), model_path="logo")
            .exists()
        )
    # The image's usage lists them, so it cannot be deleted without a warning.
    users = {ref.object_id for ref in ReferenceIndex.get_references_to(image)}
    assert {str(page.pk) for page in pages} <= users
    # Wagtail's own indexing of the same pages finds nothing to add or remove.
    for page in pages:
        stored = set(
            ReferenceIndex.get_references_for_object(page).values_list(
                "to_content_type_id", "to_object_id", "model_path", "content_path"
            )
        )
        page = PlacePage.objects.get(pk=page.pk)
        with transaction.atomic():
            ReferenceIndex.create_or_update_for_object(page)
        again = set(
            ReferenceIndex.get_references_for_object(page).values_list(
                "to_content_type_id", "to_object_id", "model_path", "content_path"
            )
        )
        assert again == stored


def test_a_page_with_inline_children_is_refused_before_anything_is_written():
    image = CustomImage.objects.first()
    place = new_place(99)
    place.photos = [PlacePhoto(image=image)]
    before = Page.objects.count()
    with pytest.raises(UnwritableRelation, match="photos"), transaction.atomic():
        create_published_pages(directory_fr(), [new_place(98), place])
    assert Page.objects.count() == before


def test_the_private_apis_the_bulk_insert_relies_on_still_behave_as_it_expects():
    # treebeard's materialised path: steplen 4, base 36 digits.
    assert Page.steplen == 4
    assert Page._get_path("0001", 2, 1) == "00010001"
    assert Page._get_path("00010001", 3, 37) == "00010001" + "0011"
    assert Page._str2int("0011") == 37
    # Django's raw insert of a child table's own columns, given an existing parent row.
    assert "raw" in inspect.signature(QuerySet._insert).parameters
    # Wagtail's reference extraction yields (content type id, object id, model path, content path).
    image = CustomImage.objects.first()
    found = list(ReferenceIndex._extract_references_from_object(new_place(1, logo=image)))
    assert any(ref[1:3] == (str(image.pk), "logo") for ref in found)
