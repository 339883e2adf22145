"""`/api/v1/safety/alerts/`: officers prepare and send (once: a second send is 409); enterprise users see
only the alerts that concern their people, with only their people's answers, and answer for them; another
organisation's recipient is a 404; list queries do not grow with the alerts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from overseas_safety.models import AlertRecipient

from .test_alerts import stationed

pytestmark = pytest.mark.django_db


def test_officer_sends_once_and_each_organisation_sees_and_answers_its_own(
    api_as,
    officer,
    liaison,
    organization,
    other_organization,
    other_applicant,
    django_capture_on_commit_callbacks,
):
    mine, theirs = stationed(organization, count=2), stationed(other_organization, count=1)
    office = api_as(officer)
    created = office.post(
        "/api/v1/safety/alerts/", {"country": "DE", "title": "Storm", "message": "Stay in."}, format="json"
    )
    assert created.status_code == 201 and created.json()["state"] == "draft"
    alert_id = created.json()["id"]
    assert api_as(liaison).post(f"/api/v1/safety/alerts/{alert_id}/send/").status_code in (403, 404)
    with django_capture_on_commit_callbacks(execute=True):
        sent = office.post(f"/api/v1/safety/alerts/{alert_id}/send/")
    assert sent.status_code == 200
    again = office.post(f"/api/v1/safety/alerts/{alert_id}/send/")
    assert again.status_code == 409 and again.json()["state"] in ("sending", "sent")
    assert office.get(f"/api/v1/safety/alerts/{alert_id}/").json()["answers"]["total"] == 3

    client = api_as(liaison)
    detail = client.get(f"/api/v1/safety/alerts/{alert_id}/").json()
    assert detail["answers"] == {"safe": 0, "need_help": 0, "none": 2, "total": 2}
    rows = client.get(f"/api/v1/safety/alerts/{alert_id}/recipients/").json()["results"]
    assert sorted(row["person"] for row in rows) == sorted(p.pk for p in mine)
    answered = client.post(
        f"/api/v1/safety/alerts/{alert_id}/answer/",
        {"recipient": rows[0]["id"], "answer": "safe"},
        format="json",
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "safe"
    foreign = AlertRecipient.objects.get(person=theirs[0])
    refused = client.post(
        f"/api/v1/safety/alerts/{alert_id}/answer/",
        {"recipient": foreign.pk, "answer": "safe"},
        format="json",
    )
    assert refused.status_code == 404
    bad = client.post(
        f"/api/v1/safety/alerts/{alert_id}/answer/",
        {"recipient": rows[1]["id"], "answer": "maybe"},
        format="json",
    )
    assert bad.status_code == 400
    assert api_as(other_applicant).get(f"/api/v1/safety/alerts/{alert_id}/").json()["answers"]["total"] == 1
    assert AlertRecipient.objects.get(person=theirs[0]).answer == ""


def test_unknown_country_is_a_400_and_enterprise_users_cannot_prepare(api_as, officer, liaison):
    answer = api_as(officer).post(
        "/api/v1/safety/alerts/", {"country": "ZZ", "title": "x", "message": "y"}, format="json"
    )
    assert answer.status_code == 400 and answer.json()["errors"][0]["field"] == "country"
    answer = api_as(liaison).post(
        "/api/v1/safety/alerts/", {"country": "DE", "title": "x", "message": "y"}, format="json"
    )
    assert answer.status_code == 403


def test_the_list_runs_the_same_queries_for_one_or_many_alerts(api_as, officer):
    from overseas_safety.services import alerts

    client = api_as(officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/safety/alerts/").status_code == 200
        return len(queries)

    alerts.alert_create(actor=officer, data={"country": "DE", "title": "a", "message": "b"})
    one = count()
    for n in range(5):
        alerts.alert_create(actor=officer, data={"country": "FR", "title": f"a{n}", "message": "b"})
    assert count() == one
