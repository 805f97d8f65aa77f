"""Uploads through the admin: only allowed types and sizes pass, each refusal says why,
and documents are never served as active content."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

HTML_PAYLOAD = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_PAYLOAD = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)


@pytest.fixture
def admin_client(client, db):
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def png_bytes(size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    PILImage.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def upload_image(client, name, content, content_type="image/png"):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Essai",
            "description": "Un essai d'envoi",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def upload_document(client, name, content, content_type="application/octet-stream"):
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Essai",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def form_errors(response):
    assert response.status_code == 200, "the form should be shown again with its errors"
    return " ".join(str(e) for e in response.context["form"].errors.get("file", []))


def test_a_real_png_is_accepted(admin_client):
    before = get_image_model().objects.count()
    response = upload_image(admin_client, "vraie.png", png_bytes())
    assert response.status_code == 302
    assert get_image_model().objects.count() == before + 1


def test_a_decompression_bomb_png_is_refused_with_a_clear_message(admin_client, settings):
    bomb = png_bytes(size=(10_000, 10_000), mode="1")  # 100 million pixels in a few kilobytes
    assert len(bomb) < 200_000
    before = get_image_model().objects.count()
    errors = form_errors(upload_image(admin_client, "bombe.png", bomb))
    assert "trop grand nombre de pixels" in errors
    assert get_image_model().objects.count() == before


def test_an_image_over_the_size_limit_is_refused(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1000
    noisy = PILImage.frombytes("RGB", (300, 300), bytes(range(256)) * 1055)
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    big = buffer.getvalue()
    assert len(big) > 1000
    errors = form_errors(upload_image(admin_client, "lourde.png", big))
    assert "trop gros" in errors


def test_an_svg_image_is_refused(admin_client):
    before = get_image_model().objects.count()
    errors = form_errors(upload_image(admin_client, "logo.svg", SVG_PAYLOAD, "image/svg+xml"))
    assert "Format d'image non supporté" in errors
    assert get_image_model().objects.count() == before


def test_html_disguised_as_a_png_image_is_refused(admin_client):
    errors = form_errors(upload_image(admin_client, "photo.png", HTML_PAYLOAD))
    assert errors


@pytest.mark.parametrize(
    "name,content",
    [
        ("page.html", HTML_PAYLOAD),
        ("dessin.svg", SVG_PAYLOAD),
        ("page.htm", HTML_PAYLOAD),
        ("script.js", b"alert(1)"),
    ],
)
def test_html_svg_and_scripts_are_refused_as_documents(admin_client, name, content):
    before = get_document_model().objects.count()
    errors = form_errors(upload_document(admin_client, name, content))
    assert errors
    assert get_document_model().objects.count() == before


@pytest.mark.parametrize("name", ["notes.txt", "tableau.csv", "rapport.pdf"])
def test_html_or_svg_disguised_under_an_allowed_extension_is_refused(admin_client, name):
    for payload in (HTML_PAYLOAD, SVG_PAYLOAD, b"\xef\xbb\xbf  <svg onload=alert(1)>"):
        errors = form_errors(upload_document(admin_client, name, payload))
        assert "HTML, du SVG ou du XML" in errors


def test_a_document_over_the_size_limit_is_refused(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    errors = form_errors(upload_document(admin_client, "gros.txt", b"a" * 2000))
    assert "trop gros" in errors


def test_documents_are_served_as_sandboxed_downloads(admin_client, client):
    response = upload_document(admin_client, "compte-rendu.txt", b"Compte rendu de la reunion.\n")
    assert response.status_code == 302
    document = get_document_model().objects.order_by("-pk").first()
    client.logout()
    served = client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
    csp = served["Content-Security-Policy"]
    assert "sandbox" in csp
    assert "default-src 'none'" in csp
    assert b"".join(served.streaming_content) == b"Compte rendu de la reunion.\n"
