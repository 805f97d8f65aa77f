"""Read a form's fields out of an HTML page, as a browser would submit them.

Standard library only: used by the tests (tests/test_page_cache.py) and by
scripts/two_instances.py, which runs outside Django.
"""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append(
                (name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
            )
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = [name, None]
        elif tag == "option" and self._select is not None:
            current = self._select[1]
            if current is None or ("selected" in attrs and not current[1]):
                self._select[1] = (attrs.get("value", ""), "selected" in attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._select[1] is not None:
                self.fields.append((self._select[0], self._select[1][0]))
            self._select = None


def form_fields(html, form_id=None):
    """The (name, value) pairs the form would send, in document order."""
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.fields
