"""``/docs`` and ``/redoc`` work without internet: every asset they reference comes from the app.

The pages are fetched from the app itself, every script, stylesheet, icon, image and schema URL
in them is fetched too (200, the right content type), and no other origin is referenced: not
jsDelivr, not Google Fonts, not fastapi.tiangolo.com.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from kommunal.api import create_app
from kommunal.api.docs_assets import ASSETS_URL

BASE = "http://testserver"
PAGES = ("/docs", "/redoc", "/docs/oauth2-redirect")
# The attributes through which a page makes the browser load something.
URL_ATTRIBUTES = {"src", "href", "spec-url", "data", "poster", "srcset"}
CONTENT_TYPES = {
    ".js": ("text/javascript", "application/javascript"),
    ".css": ("text/css",),
    ".png": ("image/png",),
    ".json": ("application/json",),
}


class _References(HTMLParser):
    """URLs a page's tags point at, plus the text of its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        self.urls.extend(value for name, value in attrs if name in URL_ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.scripts.append(data)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app without its lifespan: the docs need no index."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("docs"), api_rate_limit_per_minute=0)
    with TestClient(create_app(settings), base_url=BASE) as test_client:
        yield test_client


def _references(html: str) -> list[str]:
    """Every URL the page loads: tag attributes and the URLs FastAPI's inline bootstrap names."""
    parser = _References()
    parser.feed(html)
    urls = list(parser.urls)
    for script in parser.scripts:
        urls += re.findall(r"""\burl:\s*['"]([^'"]+)['"]""", script)  # SwaggerUIBundle({url: '…'})
        urls += re.findall(r"""['"](/[^'"\s]*oauth2-redirect)['"]""", script)
    return urls


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_every_asset_of_the_docs_page_comes_from_the_app(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    urls = _references(page.text)
    assert any(ASSETS_URL in url for url in urls), urls  # the page does load the local bundles
    assert any(url.endswith("/openapi.json") for url in urls), urls
    for url in urls:
        absolute = urljoin(BASE + path, url)
        assert absolute.startswith(BASE + "/"), f"{path} references another origin: {url}"
        asset = client.get(absolute)
        assert asset.status_code == 200, (url, asset.status_code)
        suffix = Path(urlsplit(absolute).path).suffix
        if suffix in CONTENT_TYPES:
            assert asset.headers["content-type"].startswith(CONTENT_TYPES[suffix]), (url, asset.headers)
        assert asset.headers["x-content-type-options"] == "nosniff"  # so the type must be right
        assert asset.content


@pytest.mark.parametrize("path", PAGES)
def test_no_page_names_another_origin(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    external = re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s\"'<>]*", page.text, re.I)
    assert external == [], external  # no CDN, no Google Fonts, no favicon from fastapi.tiangolo.com
    assert "fonts.googleapis" not in page.text and "cdn.jsdelivr" not in page.text
    assert "https:" not in page.headers["content-security-policy"]


def test_swagger_ui_asks_no_online_validator(client: TestClient) -> None:
    """Swagger UI would otherwise send the schema's URL to validator.swagger.io."""
    assert '"validatorUrl": null' in client.get("/docs").text


def test_stylesheets_load_nothing_from_elsewhere(client: TestClient) -> None:
    css = client.get(f"{ASSETS_URL}/swagger-ui.css").text
    targets = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    assert all(t.startswith(("data:", "#")) for t in targets), targets
    assert "@import" not in css


def test_unknown_assets_are_404_and_the_folder_is_not_left(client: TestClient) -> None:
    assert client.get(f"{ASSETS_URL}/gibt-es-nicht.js").status_code == 404
    assert client.get(f"{ASSETS_URL}/../__init__.py").status_code == 404
    assert client.get(f"{ASSETS_URL}/%2e%2e/core.py").status_code == 404


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_behind_a_proxy_prefix_every_url_carries_the_root_path(tmp_path: Path, path: str) -> None:
    """With ``--root-path /assistent`` (a reverse proxy's mount point) the page's schema,
    bundles and icon are requested under that prefix, or the browser would miss them."""
    settings = Settings(data_dir=tmp_path, api_rate_limit_per_minute=0)
    with TestClient(create_app(settings), base_url=BASE, root_path="/assistent") as proxied:
        urls = [url for url in _references(proxied.get(path).text) if url.startswith("/")]
    assert any(url.endswith("/openapi.json") for url in urls), urls
    assert any(ASSETS_URL in url for url in urls), urls
    assert all(url.startswith("/assistent/") for url in urls), urls
