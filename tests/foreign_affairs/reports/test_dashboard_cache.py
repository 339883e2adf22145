"""The dashboard's figures are computed once per period, area and language and shared for
REPORTS_DASHBOARD_CACHE_SECONDS (the cache of the test run: Redis on CI), by the page and the API; a cache
that fails is passed by."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from approvals.summary import rebuild
from approvals.workflow import State
from foreign_affairs.reports import registry
from foreign_affairs.reports.filters import Filters
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
HALF_YEAR = Filters(date(2026, 1, 1), date(2026, 6, 30))
NOON = datetime(2026, 7, 1, 12, 0, tzinfo=TZ)


@pytest.fixture
def cached(settings):
    settings.REPORTS_DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def received(organization, count: int) -> None:
    for day in range(1, count + 1):
        ApplicationFactory(
            organization=organization, state=State.IN_REVIEW, submitted_at=datetime(2026, 3, day, tzinfo=TZ)
        )
    rebuild()


def first_figure(found: registry.Dashboard) -> int:
    return found.sections[0].figures[0].value


def test_the_figures_are_computed_once_and_shared_for_a_minute(cached, organization):
    received(organization, 2)
    with time_machine.travel(NOON, tick=False):
        with CaptureQueriesContext(connection) as computing:
            first = registry.cached_dashboard(HALF_YEAR)
        received(organization, 1)  # a third application: not seen until the figures are computed again
        with CaptureQueriesContext(connection) as reusing:
            again = registry.cached_dashboard(HALF_YEAR)
    assert len(computing) > 10 and len(reusing) == 0
    assert first_figure(first) == first_figure(again) == 2
    assert again.computed_at == first.computed_at == NOON
    # Another area, another language: computed apart, with today's data.
    with translation.override("en"):
        english = registry.cached_dashboard(HALF_YEAR)
    zhengzhou = registry.cached_dashboard(
        Filters(HALF_YEAR.date_from, HALF_YEAR.date_to, organization.ftz_area)
    )
    assert first_figure(english) == first_figure(zhengzhou) == 3
    assert english.sections[0].title != first.sections[0].title
    # A minute later the figures are computed again.
    with time_machine.travel(NOON.replace(minute=1, second=1), tick=False):
        cache.delete(registry._dashboard_key(HALF_YEAR))  # what Redis does when the key's minute is up
        assert first_figure(registry.cached_dashboard(HALF_YEAR)) == 3


def test_without_a_cache_the_figures_are_computed_for_every_view(settings, organization):
    settings.REPORTS_DASHBOARD_CACHE_SECONDS = 0
    received(organization, 1)
    assert first_figure(registry.cached_dashboard(HALF_YEAR)) == 1
    received(organization, 1)
    assert first_figure(registry.cached_dashboard(HALF_YEAR)) == 2


def test_a_cache_that_fails_is_passed_by(cached, organization, monkeypatch, caplog):
    received(organization, 1)

    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    assert first_figure(registry.cached_dashboard(HALF_YEAR)) == 1
    assert "did not answer" in caplog.text and "did not keep" in caplog.text


def test_the_page_and_the_api_say_when_the_figures_were_computed(
    cached, client, api_as, manager, organization
):
    received(organization, 1)
    client.force_login(manager)
    with time_machine.travel(NOON, tick=False):
        page = client.get("/reports/", {"date_from": "2026-01-01", "date_to": "2026-06-30"})
        body = api_as(manager).get(
            "/api/v1/reports/dashboard/", {"date_from": "2026-01-01", "date_to": "2026-06-30"}
        )
    assert "数据截至 12:00" in page.content.decode()
    assert body.json()["computed_at"] == "2026-07-01T04:00:00+00:00"
    # The panels' HTML is kept with the figures: the next view sends the same panels without rendering them.
    with time_machine.travel(NOON, tick=False):
        found = registry.cached_dashboard(HALF_YEAR)
    kept = cache.get(f"{found.key}:html")
    assert 'data-testid="section-applications"' in kept and kept in page.content.decode()


def test_the_page_is_served_when_the_cache_fails(cached, client, manager, organization, monkeypatch):
    received(organization, 1)

    def broken(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    client.force_login(manager)
    page = client.get("/reports/", {"date_from": "2026-01-01", "date_to": "2026-06-30"})
    assert page.status_code == 200 and 'data-testid="section-applications"' in page.content.decode()
