"""The Content-Security-Policy: scripts from the portal's own files only, on every kind of page, and no
template that would need more (an inline script or an inline event handler)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", ROOT / "foreign_affairs", ROOT / "approvals", ROOT / "apec_cards"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:|hx-on", re.IGNORECASE)


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/apec/", "/notices/", "/api/docs/", "/admin/login/", "/reports/"]
)
def test_every_page_allows_scripts_from_the_portal_only(client, path):
    response = client.get(path)
    assert response.status_code in (200, 302)
    policy = directives(response)
    assert policy["script-src"] == "script-src 'self'"
    assert policy["default-src"] == "default-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"


def test_no_template_holds_an_inline_script_or_event_handler():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if "/pdf/" in str(path) or path.name.startswith("pdf_"):
                continue  # PDF templates are rendered by WeasyPrint, which runs no script
            text = path.read_text(encoding="utf-8")
            if INLINE_SCRIPT.search(text) or HANDLER.search(text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.django_db
def test_the_api_documentation_loads_its_script_from_the_portal(client):
    page = client.get("/api/docs/").content.decode()
    assert INLINE_SCRIPT.search(page) is None
    assert client.get("/api/docs/?script=").status_code == 200
