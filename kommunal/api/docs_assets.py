"""Swagger UI (``/docs``) and ReDoc (``/redoc``) served from this server, for networks without internet.

FastAPI's own pages load their scripts and styles from the jsDelivr CDN, ReDoc's fonts from
Google and the favicon from fastapi.tiangolo.com, none of which a municipal network without
internet reaches. The ``fastapi-offline`` package (MIT) ships the same bundles FastAPI points at
(swagger-ui-dist 5, redoc 2, the favicon); this module mounts its ``static`` folder under
:data:`ASSETS_URL` and renders FastAPI's page templates against it. The package's own
``FastAPIOffline`` factory is not used because the app is built by ``create_app``.

Two references the bundles themselves hold stay unused: Swagger UI's online validator badge
(``validatorUrl`` is switched off) and ReDoc's "API docs by Redocly" logo from cdn.redoc.ly,
which the docs pages' Content-Security-Policy (``kommunal/api/headers.py``) blocks; ReDoc
hides the image when it fails to load.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS_DIR", "ASSETS_URL", "install_docs"]

ASSETS_URL = "/docs/assets"
ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))
SWAGGER_JS, SWAGGER_CSS, REDOC_JS, FAVICON = (
    "swagger-ui-bundle.js",
    "swagger-ui.css",
    "redoc.standalone.js",
    "favicon.png",
)


def install_docs(app: FastAPI, docs_url: str = "/docs", redoc_url: str = "/redoc") -> None:
    """Add ``docs_url``, its OAuth2 redirect page and ``redoc_url`` with locally served assets.

    Create the app with ``docs_url=None, redoc_url=None`` so FastAPI does not add its CDN pages.
    """
    missing = [
        name for name in (SWAGGER_JS, SWAGGER_CSS, REDOC_JS, FAVICON) if not (ASSETS_DIR / name).is_file()
    ]
    if missing:  # a changed package layout must fail at start, not as a blank docs page
        raise RuntimeError(
            f"fastapi-offline liefert {', '.join(missing)} nicht mehr unter {ASSETS_DIR}; "
            "Version in pyproject.toml prüfen (pip install 'fastapi-offline>=1.7.7,<2')."
        )
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url or f"{docs_url}/oauth2-redirect"

    @app.get(docs_url, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            title=f"{app.title} - Swagger UI",
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None},
            **_under_root(
                request,
                openapi_url=openapi_url,
                oauth2_redirect_url=oauth2_redirect_url,
                swagger_js_url=f"{ASSETS_URL}/{SWAGGER_JS}",
                swagger_css_url=f"{ASSETS_URL}/{SWAGGER_CSS}",
                swagger_favicon_url=f"{ASSETS_URL}/{FAVICON}",
            ),
        )

    @app.get(oauth2_redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(redoc_url, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        urls = _under_root(
            request,
            openapi_url=openapi_url,
            redoc_js_url=f"{ASSETS_URL}/{REDOC_JS}",
            redoc_favicon_url=f"{ASSETS_URL}/{FAVICON}",
        )
        return get_redoc_html(title=f"{app.title} - ReDoc", with_google_fonts=False, **urls)


def _under_root(request: Request, **paths: str) -> dict[str, str]:
    """``paths`` under the mount path behind a reverse proxy (``--root-path``), as FastAPI's own
    pages use it."""
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return {name: root + path for name, path in paths.items()}
