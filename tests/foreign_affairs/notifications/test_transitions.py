"""The notices every area sends when a record moves: one per recipient but the actor, each with the page they
can open, once per key; and the recipients the areas share (the officers who answer for an application,
the author and the liaisons)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from approvals.workflow import State
from foreign_affairs.accounts.models import Substitution
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import assigned_officers, author_and_liaisons, liaisons_of
from foreign_affairs.notifications.models import Channel, Notification
from foreign_affairs.notifications.transitions import RecordNotices
from tests.approvals.factories import ApplicationFactory
from tests.factories import OrganizationFactory, enterprise_user, office_user

pytestmark = pytest.mark.django_db

NOTICES = RecordNotices(
    name="application",
    states=State,
    office_page="admin:approvals_travelapplication_change",
    enterprise_page="approvals:detail",
    transition_template="approvals/transition",
    headlines={"endorse": "Waiting for you"},
    key_prefix="test",
)


def _in_app(**filters):
    return Notification.objects.filter(channel=Channel.IN_APP, **filters)


def test_a_transition_tells_everyone_but_the_actor_with_the_page_each_can_open(
    organization, applicant, liaison, officer
):
    application = ApplicationFactory(organization=organization, in_review=True, created_by=applicant)
    told = NOTICES.transition(
        application, "endorse", people=[liaison, officer, applicant], actor=applicant, comment="请审核"
    )
    assert told == 2
    assert set(_in_app().values_list("recipient", "link")) == {
        (liaison.pk, f"/applications/{application.pk}/"),
        (officer.pk, f"/admin/approvals/travelapplication/{application.pk}/change/"),
    }
    notice = _in_app(recipient=officer).get()
    assert notice.subject == f"[{application.reference}] Waiting for you"
    with translation.override(officer.preferred_language):
        assert "请审核" in notice.body and str(State.IN_REVIEW.label) in notice.body
    assert applicant.get_full_name() in notice.body  # who acted
    assert notice.key == f"test:{application.pk}:endorse:{application.state_changed_at.isoformat()}"


def test_a_transition_is_told_once_per_time_the_state_is_entered(organization, liaison):
    application = ApplicationFactory(organization=organization, submitted=True)
    for _ in range(2):
        NOTICES.transition(application, "endorse", people=[liaison], actor=None, comment="")
    assert _in_app(recipient=liaison).count() == 1
    application.state_changed_at += timedelta(hours=1)  # endorsed again after a return for changes
    NOTICES.transition(application, "endorse", people=[liaison], actor=None, comment="")
    assert _in_app(recipient=liaison).count() == 2


def test_a_notice_holds_the_record_under_its_name_and_a_given_key(organization, liaison, officer):
    application = ApplicationFactory(organization=organization, approved=True)
    people = [liaison, officer]
    assert NOTICES.send(application, people, template="approvals/permit_failed", key="k") == 2
    assert NOTICES.send(application, people, template="approvals/permit_failed", key="k") == 2
    assert _in_app(key="k").count() == 2  # the key keeps the second call from telling anyone again
    assert all(application.reference in subject for subject in _in_app().values_list("subject", flat=True))


# Recipients ------------------------------------------------------------------------------------------------


def _stands_in(substitute, principal):
    today = timezone.localdate()
    Substitution.objects.create(principal=principal, substitute=substitute, starts_on=today, ends_on=today)


def _application(organization_id=None, *, author=None, officer=None):
    """What the recipients need of an application of any area."""
    return SimpleNamespace(
        organization_id=organization_id,
        created_by_id=author.pk if author else None,
        assigned_officer_id=officer.pk if officer else None,
    )


def _pks(users) -> set[int]:
    return {user.pk for user in users}


def test_the_assigned_officer_answers_with_their_substitute_otherwise_every_officer():
    assigned, colleague, stand_in = (office_user(Role.OFFICER) for _ in range(3))
    _stands_in(stand_in, assigned)
    assert _pks(assigned_officers(_application(officer=assigned))) == {assigned.pk, stand_in.pk}
    assert _pks(assigned_officers(_application())) == {assigned.pk, colleague.pk, stand_in.pk}
    assigned.is_active = False
    assigned.save()
    # Nobody is left to answer: every active officer does (and whoever stands in for one).
    assert _pks(assigned_officers(_application(officer=assigned))) == {colleague.pk, stand_in.pk}


def test_an_organisation_hears_through_the_author_and_the_liaisons(organization, applicant, liaison):
    enterprise_user(organization)  # a colleague: not told
    enterprise_user(organization, liaison=True, is_active=False)
    enterprise_user(OrganizationFactory(), liaison=True)
    told = author_and_liaisons(_application(organization.pk, author=applicant))
    assert _pks(told) == {applicant.pk, liaison.pk}
    assert author_and_liaisons(_application(organization.pk)) == [liaison]
    assert liaisons_of(_application(organization.pk, author=applicant)) == [liaison]
