"""The start page tells each role what travel applications need them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _tasks(client, user):
    client.force_login(user)
    return client.get("/dashboard/").content.decode()


def test_applicants_see_returned_drafts_and_reports_due(client, applicant, organization):
    ApplicationFactory(organization=organization, returned=True)
    ApplicationFactory(organization=organization)
    due = ApplicationFactory(
        organization=organization,
        permit_issued=True,
        trip__departure=timezone.localdate() - timedelta(days=10),
    )
    page = _tasks(client, applicant)
    assert "/applications/?state=returned" in page
    assert "/applications/?state=draft" in page
    assert f"/applications/{due.pk}/#report-form" in page  # the one trip due, not a list of look-alikes
    assert "/applications/endorsements/" not in page


def test_the_liaison_sees_what_awaits_endorsement(client, liaison, organization):
    ApplicationFactory(organization=organization, submitted=True)
    assert "/applications/endorsements/" in _tasks(client, liaison)


def test_officers_see_overdue_and_unassigned_reviews(client, officer, organization):
    ApplicationFactory(
        organization=organization, in_review=True, due_on=timezone.localdate() - timedelta(days=2)
    )
    page = _tasks(client, officer)
    assert "?overdue=yes" in page and "?assigned=nobody" in page


def test_leaders_see_the_sign_off_queue(client, leader, organization):
    ApplicationFactory(organization=organization, pending_signoff=True)
    assert "/admin/approvals/signoffqueue/" in _tasks(client, leader)


def test_other_organisations_work_is_not_counted(client, other_applicant, organization):
    ApplicationFactory(organization=organization, returned=True)
    assert "?state=returned" not in _tasks(client, other_applicant)
