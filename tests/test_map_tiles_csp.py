"""The public CSP lets the map load its tiles from MAP_TILE_URL's origin, and nothing else."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.origins import tile_origin

ROOT = Path(__file__).parent.parent
IGN = (
    "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
)


@pytest.mark.parametrize(
    ("template", "origin"),
    [
        (IGN, "https://data.geopf.fr"),
        ("http://127.0.0.1:8090/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8090"),
        ("https://{s}.Tile.Example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("", ""),
    ],
)
def test_the_origin_of_a_tile_template(template, origin):
    assert tile_origin(template) == origin


@pytest.mark.parametrize(
    "template",
    ["/tiles/{z}/{x}/{y}.png", "ftp://tiles.example.org/{z}", "https://{z}.x/{y}", "https://u@h/"],
)
def test_a_template_that_is_no_http_url_is_refused(template):
    with pytest.raises(ValueError, match="MAP_TILE_URL"):
        tile_origin(template)


def public_policy(tile_url):
    """The public img-src and the whole policy, as production settings compute them from the env."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "MAP_TILE_URL": tile_url}
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_policy_allows_exactly_the_tile_host():
    without = public_policy("")
    with_ign = public_policy(IGN)
    assert with_ign["img-src"] == [*without["img-src"], "https://data.geopf.fr"]
    # Nothing else moved: every other directive is the same.
    assert {k: v for k, v in with_ign.items() if k != "img-src"} == {
        k: v for k, v in without.items() if k != "img-src"
    }
    local = public_policy("http://127.0.0.1:8090/tiles/{z}/{x}/{y}.png")
    assert local["img-src"] == [*without["img-src"], "http://127.0.0.1:8090"]


def test_the_directory_page_sends_that_policy(client, settings, db):
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {
        **policy["DIRECTIVES"],
        "img-src": [*policy["DIRECTIVES"]["img-src"], tile_origin(IGN)],
    }
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    settings.MAP_TILE_URL = IGN
    response = client.get("/annuaire/")
    header = response["Content-Security-Policy"]
    img_src = next(p for p in header.split(";") if p.strip().startswith("img-src")).split()[1:]
    assert "https://data.geopf.fr" in img_src
    assert "data.geopf.fr/wmts" in response.content.decode()
