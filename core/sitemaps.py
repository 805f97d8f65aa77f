"""sitemap.xml over both language trees, each URL with its hreflang alternates.

Only real live pages: an alias (an untranslated copy of the original) is left out, and so it is
of its original's alternates."""

from collections import defaultdict

from wagtail.contrib.sitemaps import Sitemap

from core.models import all_pages


class BilingualSitemap(Sitemap):
    def items(self):
        pages = list(
            all_pages()
            .live()
            .public()
            .filter(depth__gte=2, alias_of__isnull=True)  # aliases repeat their original
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
        self._translations = defaultdict(list)
        for page in pages:
            self._translations[page.translation_key].append(page)
        return pages

    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        for item in self.paginator.page(page).object_list:
            siblings = self._translations.get(item.translation_key, [])
            alternates = (
                [
                    {
                        "location": other.get_full_url(self.request),
                        "lang_code": other.locale.language_code,
                    }
                    for other in siblings
                ]
                if len(siblings) > 1
                else []
            )
            for url_info in item.get_sitemap_urls(self.request):
                url_info["alternates"] = alternates
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
