"""The demo with its texts edited, for ``pytest --edited-demo``.

Point 9 of issue 12: editing the demo's text must not break the tests that build their own
content with tests/factories.py. This rewrites, as an editor could in the admin, the title and the
short texts of every content page below the sections (organisation folders, articles, events,
directory entries, dossiers, standard pages) in both languages, and the names of the themes:
nothing of the old wording is left, so a test that looks for a demo title or text fails. The
site skeleton (home pages, sections, their slugs, locales, groups, accounts) is left as it is.

Run the converted modules with it, e.g.
``.venv/bin/pytest -q --edited-demo tests/test_news_listing.py``; the modules that still read the
demo (tests/test_demo_smoke.py and the ones listed in its docstring) are expected to fail there.
"""

from wagtail.models import Page

from taxonomy.models import Theme

TEXT_FIELDS = ("lead", "summary", "intro", "introduction", "search_description")
# What an editor might write instead, in the page's language (long enough for a meta description).
REWRITTEN = {
    "fr": ("Titre réécrit {pk}", "Un texte réécrit par l'équipe du Parc, qui ne reprend rien de l'ancien."),
    "en": ("Rewritten title {pk}", "A text rewritten by the Park's staff, which keeps nothing of the old one."),
}


def edit_demo_texts():
    for page in Page.objects.filter(depth__gt=3).select_related("locale").specific():
        title, text = REWRITTEN[page.locale.language_code]
        page.title = page.draft_title = title.format(pk=page.pk)
        for name in TEXT_FIELDS:
            value = getattr(page, name, None)
            if isinstance(value, str) and value:
                setattr(page, name, f"<p>{text}</p>" if value.startswith("<") else text)
        page.save(clean=False)
    for theme in Theme.objects.select_related("locale"):
        theme.name = f"{REWRITTEN[theme.locale.language_code][0].format(pk=theme.pk)}"
        theme.save()
