"""The demo with its texts edited, for ``pytest --edited-demo``.

Point 9 of issue 12: editing the demo's text must not break the tests that build their own
content with tests/factories.py. This rewrites, as an editor could in the admin, the title and the
short texts of every content page below the sections (organisation folders, articles, events,
directory entries, dossiers, standard pages) in both languages, and the names of the themes:
nothing of the old wording is left, so a test that looks for a demo title or text fails. The
site skeleton (home pages, sections, their slugs, locales, groups, accounts) is left as it is.

The rewrite keeps what the tests may rely on as the site's skeleton: page slugs and URLs, the
section pages, the demo accounts (admin, parc, asoft, cigale), their organisations and groups,
the vocabularies' slugs, the moderation states. It uses its own test database
(``…-edited-demo``), so that ``--reuse-db`` never mixes the two.

Run it on the modules that build their own content, e.g.
``.venv/bin/pytest -q --edited-demo tests/test_news_listing.py``. Only tests/test_demo_smoke.py
(checks of the demo itself) is expected to fail there. Modules that walk the demo's pages on
purpose (test_html_validity, test_accessibility_browser, test_bad_input, test_load_demo,
test_api_schema's examples) or act as the demo's accounts in their sections (permissions,
moderation, member translations, subscriptions) read slugs, accounts and states, not texts.
"""

from wagtail.models import Page

from taxonomy.models import Theme

TEXT_FIELDS = ("lead", "summary", "intro", "introduction", "search_description")
# What an editor might write instead, in the page's language (long enough for a meta description).
REWRITTEN = {
    "fr": (
        "Titre réécrit {pk}",
        "Un texte réécrit par l'équipe du Parc, qui ne reprend rien de l'ancien.",
    ),
    "en": (
        "Rewritten title {pk}",
        "A text rewritten by the Park's staff, which keeps nothing of the old one.",
    ),
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
