"""The kept counts of applications per organisation and state (approvals_applicationcount), and the lists
that read them instead of counting the table: exact after any kind of write, and no `COUNT(*)` over the
applications when only the state or the organisation narrows a list."""

import random
import sqlite3

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import count_triggers, counting, services
from approvals.models import ApplicationCount, ItineraryLeg, TravelApplication
from approvals.workflow import State
from foreign_affairs.distinct_values import distinct_values
from tests.factories import OrganizationFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db
TABLE_COUNT = 'COUNT(*) AS "__count" FROM "approvals_travelapplication"'


def kept() -> dict:
    return {(row.organization_id, row.state): row.n for row in ApplicationCount.objects.filter(n__gt=0)}


def counted() -> dict:
    rows = (
        TravelApplication.objects.order_by().values_list("organization_id", "state").annotate(n=Count("pk"))
    )
    return {(organization, state): n for organization, state, n in rows}


def test_the_counts_follow_inserts_updates_bulk_writes_and_deletes(organization, applicant, officer):
    other = OrganizationFactory()
    made = [ApplicationFactory(organization=organization, trip=False) for _ in range(3)]
    made += [ApplicationFactory(organization=other, in_review=True, trip=False) for _ in range(2)]
    assert kept() == counted() == {(organization.pk, State.DRAFT): 3, (other.pk, State.IN_REVIEW): 2}
    submitted = ApplicationFactory(organization=organization, created_by=applicant)
    services.application_transition(application=submitted, actor=applicant, name="submit")
    TravelApplication.objects.filter(pk=made[0].pk).update(state=State.WITHDRAWN)
    TravelApplication.objects.filter(organization=other).update(organization=organization)
    TravelApplication.objects.filter(pk=made[1].pk).delete()
    TravelApplication.objects.filter(pk=made[2].pk).update(title="only the title")  # no count changes
    assert kept() == counted()
    assert kept()[(organization.pk, State.IN_REVIEW)] == 2 and (other.pk, State.IN_REVIEW) not in kept()
    rng = random.Random(18)
    rows = [
        TravelApplication(
            organization=rng.choice([organization, other]),
            created_by=applicant,
            reference=f"BULK-{number}",
            title="t",
            purpose="p",
            state=rng.choice(State.values),
        )
        for number in range(200)
    ]
    TravelApplication.objects.bulk_create(rows)
    TravelApplication.objects.filter(reference__startswith="BULK-1").update(state=State.CLOSED)
    TravelApplication.objects.filter(reference__startswith="BULK-2").delete()
    assert kept() == counted()
    assert counting.count_for(officer) == TravelApplication.objects.count()
    assert (
        counting.count_for(applicant) == TravelApplication.objects.filter(organization=organization).count()
    )
    assert counting.count_for(applicant, organization_id=other.pk) == 0  # not theirs: none, as the list shows


def test_the_sqlite_triggers_keep_the_same_counts():
    """The SQLite half of migration 0014, run on SQLite itself (the suite's database is PostgreSQL)."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE approvals_travelapplication (id INTEGER PRIMARY KEY, organization_id, state, title)"
    )
    db.execute(
        "CREATE TABLE approvals_applicationcount (id INTEGER PRIMARY KEY, organization_id, state, n, "
        "UNIQUE (organization_id, state))"
    )
    for sql in count_triggers.SQLITE:
        db.execute(sql)
    rng = random.Random(14)
    for number in range(300):
        db.execute(
            "INSERT INTO approvals_travelapplication VALUES (?, ?, ?, 't')",
            (number, rng.randint(1, 4), rng.choice(["draft", "in_review", "closed"])),
        )
    db.execute("UPDATE approvals_travelapplication SET state = 'approved' WHERE id % 7 = 0")
    db.execute("UPDATE approvals_travelapplication SET organization_id = 9 WHERE id % 11 = 0")
    db.execute("UPDATE approvals_travelapplication SET title = 'x'")
    db.execute("DELETE FROM approvals_travelapplication WHERE id % 5 = 0")
    raw = db.execute(
        "SELECT organization_id, state, COUNT(*) FROM approvals_travelapplication GROUP BY 1, 2"
    ).fetchall()
    kept_rows = db.execute("SELECT organization_id, state, n FROM approvals_applicationcount WHERE n > 0")
    assert sorted(kept_rows.fetchall()) == sorted(raw) and len(raw) > 10


def applications_in_states(organization):
    for state, how_many in ((State.DRAFT, 2), (State.IN_REVIEW, 3), (State.CLOSED, 1)):
        for _ in range(how_many):
            ApplicationFactory(organization=organization, state=state, trip=False)


def table_counts(queries) -> list[str]:
    return [query["sql"] for query in queries if TABLE_COUNT in query["sql"]]


def test_the_office_list_reads_its_counts_and_counts_rows_only_for_other_filters(
    client, officer, organization
):
    applications_in_states(organization)
    applications_in_states(OrganizationFactory())
    client.force_login(officer)
    url = reverse("approvals:list")
    for query, expected in (
        ({}, 12),
        ({"state": State.IN_REVIEW}, 6),
        ({"organization": organization.pk}, 6),
    ):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, query)
        assert page.status_code == 200 and page.context["page"].paginator.count == expected
        assert table_counts(queries) == [], query
    assert page.context["total"] == 12
    with CaptureQueriesContext(connection) as queries:
        found = client.get(url, {"search": "ZZ-NOT-THERE"})
    assert found.context["page"].paginator.count == 0 and len(table_counts(queries)) == 1


def test_an_enterprise_list_and_the_api_count_only_the_organisations_rows(
    client, api_as, applicant, organization, officer
):
    applications_in_states(organization)
    applications_in_states(OrganizationFactory())
    client.force_login(applicant)
    page = client.get(reverse("approvals:list"))
    assert page.context["page"].paginator.count == page.context["total"] == 6
    api = api_as(applicant)
    with CaptureQueriesContext(connection) as queries:
        listed = api.get("/api/v1/travel-applications/", {"state": State.IN_REVIEW})
    assert listed.status_code == 200 and listed.json()["count"] == 3 and table_counts(queries) == []
    everyone = api_as(officer).get("/api/v1/travel-applications/", {"page_size": 5}).json()
    assert everyone["count"] == 12 and len(everyone["results"]) == 5 and everyone["next"]
    last = api_as(officer).get("/api/v1/travel-applications/", {"page_size": 5, "page": 3}).json()
    assert len(last["results"]) == 2 and last["next"] is None
    searched = api_as(officer).get("/api/v1/travel-applications/", {"search": "ZZ-NOT-THERE"}).json()
    assert searched["count"] == 0


def test_the_review_queue_counts_its_default_and_chosen_state_from_the_kept_counts(
    client, officer, organization
):
    applications_in_states(organization)
    client.force_login(officer)
    url = reverse("admin:approvals_travelapplication_changelist")
    for query, expected in (({}, 3), ({"state": "all"}, 6), ({"state": State.DRAFT}, 2)):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url, query)
        assert page.status_code == 200 and page.context["cl"].result_count == expected, query
        assert table_counts(queries) == [], query
    overdue = client.get(url, {"overdue": "yes"})
    assert overdue.context["cl"].result_count == 0


def test_the_countries_in_use_come_from_a_loose_index_scan(organization):
    ApplicationFactory(organization=organization)  # Germany and France
    application = ApplicationFactory(organization=organization, trip=False)
    ItineraryLeg.objects.create(
        application=application, country="JP", city="东京", arrive_on="2027-01-01", leave_on="2027-01-03"
    )
    plain = sorted(ItineraryLeg.objects.order_by().values_list("country", flat=True).distinct())
    with CaptureQueriesContext(connection) as queries:
        assert distinct_values(ItineraryLeg, "country") == plain == ["DE", "FR", "JP"]
    assert "WITH RECURSIVE" in queries[0]["sql"]
