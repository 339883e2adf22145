"""Exported reports name the countries (and the APEC economies) in the language of the person who asked
for the export, instead of listing ISO codes."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from apec_cards.models import Card
from apec_cards.reporting import card_rows
from approvals.models import ItineraryLeg, TravelApplication
from approvals.reporting import APPROVAL_COLUMNS, approval_rows, delegation_rows
from approvals.workflow import State
from foreign_affairs.reports import services
from foreign_affairs.reports.filters import Filters
from tests.apec_cards.helpers import issued_card
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
H1 = Filters(date(2026, 1, 1), date(2026, 6, 30))
COUNTRIES = [column.key for column in APPROVAL_COLUMNS].index("countries")


@pytest.fixture
def trip(organization):
    """An approved trip to Germany and Eswatini, received and departing in the first half of 2026."""
    application = ApplicationFactory(
        organization=organization,
        state=State.APPROVED,
        submitted_at=datetime(2026, 2, 1, 10, tzinfo=TZ),
        decided_at=datetime(2026, 2, 5, 10, tzinfo=TZ),
        trip__departure=date(2026, 5, 1),
    )
    ItineraryLeg.objects.filter(application=application, country="FR").update(country="SZ")
    TravelApplication.objects.filter(pk=application.pk).update(countries="DE,SZ")
    return application


@pytest.mark.parametrize(
    ("language", "names"), [("zh-hans", "德国、埃斯瓦蒂尼"), ("en", "Germany, Eswatini")]
)
def test_report_rows_name_the_countries_in_the_readers_language(trip, language, names):
    with translation.override(language):
        (row,) = list(approval_rows(H1))
        delegations = list(delegation_rows(H1))
    assert row[COUNTRIES] == names
    assert {row[4] for row in delegations} == {names}


@pytest.mark.parametrize(
    ("language", "names"), [("zh-hans", "德国、埃斯瓦蒂尼"), ("en", "Germany, Eswatini")]
)
def test_a_csv_export_names_the_countries_in_the_language_of_who_asked(
    manager, trip, language, names, django_capture_on_commit_callbacks
):
    manager.preferred_language = language
    manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(
            actor=manager,
            report="travel_approvals",
            format="csv",
            filters={"date_from": "2026-01-01", "date_to": "2026-06-30"},
        )
    job.refresh_from_db()
    _header, row = list(csv.reader(io.StringIO(job.file.open("rb").read().decode("utf-8-sig"))))
    assert row[COUNTRIES] == names


@pytest.mark.parametrize(("language", "names"), [("zh-hans", "澳大利亚、日本"), ("en", "Australia, Japan")])
def test_card_rows_name_the_economies_in_the_readers_language(
    applicant, liaison, officer, language, names, django_capture_on_commit_callbacks
):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU", "JP"))
    Card.objects.filter(pk=card.pk).update(issued_on=date(2026, 3, 10))
    with translation.override(language):
        (row,) = list(card_rows(H1))
    assert row[-1] == names
