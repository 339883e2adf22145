"""The start page's "submit the post-trip report" to-do leads to the trips whose report is due, and only
those: one trip straight to its report form, several to the list filtered by report_due=1, where each
row says "Report due"."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from approvals.filters import ApplicationFilter
from approvals.models import TravelApplication
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"
LIST = "/applications/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def ended(organization, days_ago=10, **kwargs):
    """A trip with its permit, back some days ago (the factory's trip lasts six days)."""
    return ApplicationFactory(
        organization=organization,
        permit_issued=True,
        trip__departure=timezone.localdate() - timedelta(days=days_ago),
        **kwargs,
    )


def not_ended(organization):
    """A trip with its permit, abroad now: back in four days."""
    return ApplicationFactory(
        organization=organization,
        permit_issued=True,
        trip__departure=timezone.localdate() - timedelta(days=2),
    )


def rows(body: str) -> str:
    return body.split('data-testid="application-table"')[1].split("</table>")[0]


def test_one_trip_due_leads_straight_to_its_report_form(english, applicant, organization):
    due = ended(organization)
    not_ended(organization)
    ended(ApplicationFactory(permit_issued=True).organization)  # another organisation's
    english.force_login(applicant)

    page = english.get(DASHBOARD).content.decode()

    assert "1 trip has ended: submit its post-trip report." in page
    assert f'href="/applications/{due.pk}/#report-form"' in page
    assert "?state=permit_issued" not in page and "report_due=1" not in page
    detail = english.get(f"/applications/{due.pk}/").content.decode()
    assert 'id="report-form"' in detail  # the anchor the to-do leads to


def test_several_trips_due_lead_to_the_list_of_those_only(english, applicant, organization):
    first = ended(organization, days_ago=10)
    second = ended(organization, days_ago=20)
    abroad = not_ended(organization)
    reported = ended(organization, report_submitted=True)
    english.force_login(applicant)

    page = english.get(DASHBOARD).content.decode()

    assert "2 trips have ended: submit their post-trip reports." in page
    assert 'href="/applications/?report_due=1"' in page
    assert f"/applications/{first.pk}/#report-form" not in page

    body = english.get(f"{LIST}?report_due=1").content.decode()
    listed = rows(body)
    assert first.reference in listed and second.reference in listed
    assert abroad.reference not in listed and reported.reference not in listed
    assert listed.count('data-testid="report-due-badge"') == 2 and "Report due" in listed
    assert 'name="report_due"' in body and "checked" in body.split('name="report_due"')[1].split(">")[0]

    # The whole list marks the same two, and only them.
    everything = rows(english.get(LIST).content.decode())
    assert abroad.reference in everything and reported.reference in everything
    assert everything.count('data-testid="report-due-badge"') == 2
    abroad_row = everything.split(abroad.reference)[1].split("</tr>")[0]
    assert "Report due" not in abroad_row


def test_the_badge_costs_no_query_per_row(english, applicant, organization, django_assert_max_num_queries):
    english.force_login(applicant)
    ended(organization)
    with django_assert_max_num_queries(50) as few:
        english.get(LIST)
    for _ in range(4):
        ended(organization)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = english.get(LIST).content.decode()
    assert rows(body).count('data-testid="report-due-badge"') == 5


def test_the_filter_means_the_same_in_the_api(api_as, applicant, organization):
    due = ended(organization)
    not_ended(organization)
    ended(organization, report_submitted=True)
    api = api_as(applicant)
    for value in ("1", "true"):
        answer = api.get(f"/api/v1/travel-applications/?report_due={value}")
        assert answer.status_code == 200
        assert [row["id"] for row in answer.json()["results"]] == [due.pk]
    assert api.get("/api/v1/travel-applications/").json()["count"] == 3
    assert api.get("/api/v1/travel-applications/?report_due=false").json()["count"] == 3


def test_the_filter_counts_the_day_of_return_as_ended(organization):
    """Back today: the report is due (return_date <= today, local date), as the start page counts it."""
    today_back = ApplicationFactory(
        organization=organization,
        permit_issued=True,
        trip__departure=timezone.localdate() - timedelta(days=6),
    )
    assert today_back.return_date == timezone.localdate()
    filtered = ApplicationFilter({"report_due": "1"}, queryset=TravelApplication.objects.all())
    assert list(filtered.qs) == [today_back]
    assert filtered.filtered
    assert not ApplicationFilter({"page": "1"}, queryset=TravelApplication.objects.all()).filtered
