"""Demo data holds every state; seed_bulk adds consistent applications quickly."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from approvals.models import DelegationMember, TravelApplication
from approvals.workflow import WAITING_STATES, State
from foreign_affairs.audit.selectors import verify_chain

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_application_in_every_state(demo):
    states = set(TravelApplication.objects.values_list("state", flat=True))
    assert states == set(State)
    awaiting_report = TravelApplication.objects.get(state=State.PERMIT_ISSUED)
    assert awaiting_report.return_date < timezone.localdate()  # the trip has ended and awaits its report
    returned = TravelApplication.objects.get(state=State.RETURNED)
    assert returned.rule_errors == 0 and returned.attachments.filter(kind="invitation").exists()
    assert verify_chain().ok
    from approvals.models import Disclosure, PassportHandover, Permit

    assert set(Permit.objects.values_list("application__state", flat=True)) == {
        State.PERMIT_ISSUED,
        State.REPORT_SUBMITTED,
        State.CLOSED,
    }
    assert set(Disclosure.objects.filter(outcome="open").values_list("kind", "application__state")) == {
        ("trip", State.APPROVED),
        ("report", State.REPORT_SUBMITTED),
    }
    assert [h.person.full_name for h in PassportHandover.objects.all() if h.is_overdue] == ["杨帆"]


def test_seed_bulk_adds_consistent_applications(officer):
    call_command("seed_bulk", "--applications", "300", stdout=io.StringIO())
    call_command("seed_bulk", "--applications", "200", stdout=io.StringIO())
    applications = TravelApplication.objects.all()
    assert applications.count() == 500
    assert applications.values("reference").distinct().count() == 500
    today = timezone.localdate()
    assert not applications.filter(departure_date__lt=today, state__in=WAITING_STATES).exists()
    assert not applications.filter(state__in=WAITING_STATES, due_on__isnull=True).exists()
    assert len(set(applications.values_list("state", flat=True))) >= 10
    leaders = DelegationMember.objects.values("application").annotate(n=Count("pk", filter=Q(is_leader=True)))
    assert {row["n"] for row in leaders} == {1}
    first = applications.order_by("pk").first()
    assert first.member_count == first.members.count() and first.countries.split(",")[0] == str(
        first.legs.order_by("position").first().country
    )


def test_seed_bulk_writes_passport_numbers_encrypted_and_found_again(officer):
    from django.db import connection

    from foreign_affairs.accounts.models import Person

    call_command("seed_bulk", "--applications", "50", stdout=io.StringIO())
    person = Person.objects.exclude(passport_number="").order_by("pk").first()
    number = person.passport_number
    assert number.startswith("SE") and len(number) == 9  # read back plain
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT passport_number, passport_number_index FROM accounts_person WHERE id = %s", [person.pk]
        )
        stored, index = cursor.fetchone()
    assert stored.startswith("gAAAAA") and number not in stored
    assert len(index) == 32 and number not in index
    assert Person.objects.get(organization=person.organization, passport_number=number) == person
