"""Row 5: every rate limit holds against a flood in which each request forges another X-Forwarded-For.

Each limit is flooded twice: without TRUSTED_PROXIES (the header is the client's own, and must be ignored),
and behind a trusted proxy (127.0.0.1, the test client's address) that appends the address it saw, the
client forging the entries on the left. Past the limit every request must be refused (429); the figure is
how many got through. foreign_affairs.ratelimit.client_address is what answers "which client?" for all."""

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from approvals import services
from approvals.models import DisclosureKind
from approvals.views.notices import OBJECTION_LIMIT
from foreign_affairs.accounts.password_reset import PER_CLIENT
from tests.approvals.factories import ApplicationFactory
from tests.projects.factories import published

pytestmark = pytest.mark.django_db

EXTRA = 5  # requests sent past each limit
REAL_CLIENT = "203.0.113.5"  # the address the trusted proxy saw
VERIFY_LIMIT = 30  # documents.views.verify


def _rate(scope: str) -> int:
    """The number of requests of a DRF throttle rate such as "10/min"."""
    return int(django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")[0])


@dataclass
class Flood:
    name: str
    limit: int
    send: Any  # (index, headers) -> response


def _floods(notice, project) -> list[Flood]:
    api, page = APIClient(), Client()
    return [
        Flood(
            "API token endpoint",
            _rate("token"),
            lambda i, headers: api.post(
                "/api/v1/auth/token/", {"username": f"nobody{i}", "password": "x"}, format="json", **headers
            ),
        ),
        Flood("/verify/", VERIFY_LIMIT, lambda i, headers: page.get(f"/verify/ABCD-{i:04d}/", **headers)),
        Flood(
            "objections, API",
            _rate("objection"),
            lambda i, headers: api.post(
                f"/api/v1/notices/{notice.pk}/objections/", {"text": f"异议 {i}"}, format="json", **headers
            ),
        ),
        Flood(
            "objections, page",
            OBJECTION_LIMIT,
            lambda i, headers: page.post(
                f"/notices/{notice.pk}/objection/", {"text": f"异议 {i}"}, **headers
            ),
        ),
        Flood(
            "password reset",
            PER_CLIENT,
            lambda i, headers: page.post(
                "/accounts/password_reset/", {"email": f"someone{i}@example.com"}, **headers
            ),
        ),
        Flood("anonymous API", _rate("anon"), lambda i, headers: api.get("/api/v1/notices/", **headers)),
        Flood(
            "setting-up enquiries, API",
            django_settings.FOREIGN_OFFICES_ENQUIRIES_PER_HOUR,
            lambda i, headers: api.post(
                "/api/v1/foreign-offices/enquiries/", _enquiry(i), format="json", **headers
            ),
        ),
        Flood(
            "setting-up enquiries, page",
            django_settings.FOREIGN_OFFICES_ENQUIRIES_PER_HOUR,
            lambda i, headers: page.post("/foreign-offices/enquiry/", _enquiry(i), **headers),
        ),
        Flood(
            "expressions of interest, API",
            django_settings.PROJECTS_INTEREST_PER_HOUR,
            lambda i, headers: api.post(
                f"/api/v1/projects/{project.pk}/interest/", _interest(i), format="json", **headers
            ),
        ),
        Flood(
            "expressions of interest, page",
            django_settings.PROJECTS_INTEREST_PER_HOUR,
            lambda i, headers: page.post(f"/projects/{project.reference}/interest/", _interest(i), **headers),
        ),
        Flood(
            "interview requests, API",
            django_settings.EXCHANGES_MEDIA_REQUESTS_PER_HOUR,
            lambda i, headers: api.post(
                "/api/v1/exchanges/media-requests/", _media_request(i), format="json", **headers
            ),
        ),
        Flood(
            "interview requests, page",
            django_settings.EXCHANGES_MEDIA_REQUESTS_PER_HOUR,
            lambda i, headers: page.post("/exchanges/media/", _media_request(i, page=True), **headers),
        ),
    ]


def _interest(i: int) -> dict:
    """A valid expression of interest (each one, if let through, is stored)."""
    return {
        "name": "Test Person",
        "organisation": f"Flood Test GmbH {i}",
        "country": "DE",
        "email": f"flood{i}@example.de",
        "message": "A test of the rate limit.",
    }


def _media_request(i: int, *, page: bool = False) -> dict:
    """A valid interview request (each one, if let through, is stored); the page asks for the press card's
    number and authority apart."""
    start = timezone.localdate() + timedelta(days=20)
    card = (
        {"press_card_number": "FR-0000", "press_card_authority": "CCIJP"}
        if page
        else {"press_card": "FR-0000"}
    )
    return {
        "journalist_name": "Test Person",
        "email": f"flood{i}@example.fr",
        "outlet": f"Flood Test {i}",
        "outlet_country": "FR",
        **card,
        "topic": "A test of the rate limit.",
        "wished_from": start.isoformat(),
        "wished_until": (start + timedelta(days=3)).isoformat(),
    }


def _enquiry(i: int) -> dict:
    """A valid enquiry (each one, if let through, opens a case)."""
    return {
        "organisation_name": f"Flood Test GmbH {i}",
        "country": "DE",
        "kind": "company_office",
        "preferred_area": "zhengzhou",
        "contact_name": "Test Person",
        "contact_email": f"flood{i}@example.de",
        "message": "A test of the rate limit.",
    }


def _forged(i: int) -> str:
    return f"198.51.{i // 250}.{i % 250 + 1}"


PROXIES = {
    "without TRUSTED_PROXIES": ([], _forged),
    "behind a trusted proxy": (["127.0.0.1"], lambda i: f"{_forged(i)}, {REAL_CLIENT}"),
}


@pytest.mark.parametrize("proxies", PROXIES)
def test_no_limit_opens_to_forged_forwarded_headers(proxies, figures, organization, officer, settings):
    started = time.monotonic()
    settings.TRUSTED_PROXIES, header = PROXIES[proxies]
    notice = services.disclosure_open(
        ApplicationFactory(organization=organization, approved=True), kind=DisclosureKind.TRIP
    )
    for flood in _floods(notice, published(officer)):
        cache.clear()
        statuses = [
            flood.send(i, {"HTTP_X_FORWARDED_FOR": header(i)}).status_code for i in range(flood.limit + EXTRA)
        ]
        within, beyond = statuses[: flood.limit], statuses[flood.limit :]
        assert 429 not in within, f"{flood.name}: refused before its limit of {flood.limit}: {within}"
        through = sum(status != 429 for status in beyond)
        figures.add("ratelimit.floods")
        figures.add("ratelimit.beyond", len(beyond))
        figures.add("ratelimit.through", through)
        figures.note("ratelimit.limits", flood.name)
        if through:
            figures.note(
                "ratelimit.through",
                f"{flood.name}, {proxies}: {through} of {len(beyond)} past the limit of {flood.limit}: {beyond}",
            )
    cache.clear()
    figures.timed("ratelimit", time.monotonic() - started)
