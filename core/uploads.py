"""Upload checks for documents (images are checked by Wagtail's own image field).

Wagtail already refuses a document whose extension is not in ``WAGTAILDOCS_EXTENSIONS`` or whose
size exceeds ``WAGTAILDOCS_MAX_UPLOAD_SIZE``. ``SafeDocumentForm`` (``WAGTAILDOCS_DOCUMENT_FORM_BASE``)
also refuses a file whose content is markup a browser would run (HTML, SVG, XML), whatever its name.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

# Markup that a browser renders as an active document, even behind another extension.
ACTIVE_MARKUP = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<svg",
    b"<?xml",
    b"<script",
    b"<iframe",
)
SNIFF_BYTES = 1024


def looks_like_active_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower().replace(b"\x00", b"")
    return text.startswith(ACTIVE_MARKUP) or b"<script" in text or b"<svg" in text


def check_document_file(uploaded):
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(position)
    if looks_like_active_markup(head):
        raise ValidationError(
            _(
                "Ce fichier contient du HTML, du SVG ou du XML, que le site ne diffuse pas "
                "(risque de code malveillant). Envoyez-le en PDF ou dans un format bureautique."
            ),
            code="active_content",
        )


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_document_file(uploaded)
        return uploaded
