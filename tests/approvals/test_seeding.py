"""Demo data holds every state; seed_bulk adds consistent applications quickly (COPY on PostgreSQL,
bulk_create elsewhere), over its 200 organisations."""

import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone, translation

from approvals.bulk_insert import CopyWriter, OrmWriter, batch_write
from approvals.bulk_seed import NAME_PREFIX, ORGANIZATIONS, TRAVELLERS_PER_ORGANIZATION, Planner, uscc_for
from approvals.models import DelegationMember, ItineraryLeg, ReferenceCounter, StatePeriod, TravelApplication
from approvals.workflow import WAITING_STATES, State
from foreign_affairs.accounts.models import FTZArea, Organization, Person
from foreign_affairs.accounts.validators import validate_uscc
from foreign_affairs.audit.selectors import verify_chain
from tests.conftest import on_postgresql

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


def assert_consistent(applications) -> None:
    """What every bulk application holds, whichever way it was written."""
    today = timezone.localdate()
    assert applications.values("reference").distinct().count() == applications.count()
    # The states agree with the dates: nothing waits for a trip that has begun, every wait has a deadline.
    assert not applications.filter(departure_date__lt=today, state__in=WAITING_STATES).exists()
    assert not applications.filter(state__in=WAITING_STATES, due_on__isnull=True).exists()
    assert not applications.exclude(state=State.DRAFT).filter(submitted_at__isnull=True).exists()
    assert len(set(applications.values_list("state", flat=True))) >= 10
    # The summary columns agree with the itinerary and the delegation.
    legs = applications.annotate(
        leg_count=Count("legs", distinct=True),
        first=Min("legs__arrive_on"),
        last=Max("legs__leave_on"),
        member_rows=Count("members", distinct=True),
        leader_count=Count("members", filter=Q(members__is_leader=True), distinct=True),
    )
    assert not legs.filter(leg_count=0).exists()
    assert not legs.exclude(first=F("departure_date"), last=F("return_date")).exists()
    assert not legs.exclude(member_rows=F("member_count")).exists()
    assert not legs.exclude(leader_count=1).exists()
    first = applications.order_by("pk").first()
    assert first.countries.split(",")[0] == str(first.legs.order_by("position").first().country)
    # The time spent in waiting states: none for a draft, one open stay exactly for the waiting states.
    periods = applications.annotate(
        period_count=Count("state_periods", distinct=True),
        open_count=Count("state_periods", filter=Q(state_periods__left_at__isnull=True), distinct=True),
        open_state=Max("state_periods__state", filter=Q(state_periods__left_at__isnull=True)),
    )
    assert not periods.filter(state=State.DRAFT).exclude(period_count=0).exists()
    assert not periods.exclude(state=State.DRAFT).filter(period_count=0).exists()
    assert not periods.filter(state__in=WAITING_STATES).exclude(open_count=1, open_state=F("state")).exists()
    assert not periods.exclude(state__in=WAITING_STATES).exclude(open_count=0).exists()
    assert not StatePeriod.objects.filter(left_at__lt=F("entered_at")).exists()


def test_seed_bulk_adds_consistent_applications_and_reuses_its_200_organisations(officer):
    call_command("seed_bulk", "--applications", "300", "--batch", "120", stdout=io.StringIO())
    organisations = Organization.objects.filter(name_zh__startswith=NAME_PREFIX)
    first_run = set(organisations.values_list("pk", flat=True))
    assert len(first_run) == ORGANIZATIONS == 200
    assert TravelApplication.objects.count() == 300
    people = Person.objects.filter(organization__in=first_run).count()
    assert people == 200 * TRAVELLERS_PER_ORGANIZATION

    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_bulk", "--applications", "200", stdout=out)
    assert "Added 200 travel applications" in out.getvalue() and "500 in all" in out.getvalue()
    assert set(organisations.values_list("pk", flat=True)) == first_run
    assert Person.objects.filter(organization__in=first_run).count() == people
    applications = TravelApplication.objects.all()
    assert applications.count() == 500
    assert set(applications.values_list("organization", flat=True)) <= first_run
    assert_consistent(applications)
    assert TravelApplication.objects.filter(state=State.IN_REVIEW, assigned_officer=officer).exists()


def test_the_bulk_organisations_have_distinct_valid_codes_over_the_free_trade_zone(db):
    call_command("seed_bulk", "--applications", "1", stdout=io.StringIO())
    organisations = Organization.objects.filter(name_zh__startswith=NAME_PREFIX)
    codes = list(organisations.values_list("uscc", flat=True))
    assert len(codes) == len(set(codes)) == 200
    for code in codes:
        validate_uscc(code)
    areas = Counter(organisations.values_list("ftz_area", flat=True))
    assert {FTZArea.ZHENGZHOU, FTZArea.LUOYANG, FTZArea.KAIFENG} <= set(areas)
    assert areas[FTZArea.ZHENGZHOU] > areas[FTZArea.KAIFENG] > areas[FTZArea.OUTSIDE] > 0


@pytest.mark.parametrize("writer", [CopyWriter, OrmWriter])
def test_copy_and_bulk_create_write_the_same_shape_of_data(officer, writer):
    if writer is CopyWriter and not on_postgresql():
        pytest.skip("COPY is PostgreSQL's")
    planner = Planner.for_bulk_organizations(random.Random(5))
    planned = planner.batch(300)
    batch_write(planned, writer())
    applications = TravelApplication.objects.all()
    assert applications.count() == 300
    assert ItineraryLeg.objects.count() == len(planned.legs)
    assert DelegationMember.objects.count() == len(planned.members)
    assert StatePeriod.objects.count() == len(planned.periods)
    assert sorted(applications.values_list("reference", flat=True)) == sorted(planned.references)
    assert_consistent(applications)
    row = applications.get(reference=planned.references[0])
    assert (row.organization_id, row.created_at, row.budget_currency, row.rule_results) == (
        planned.applications[0][0],
        planned.applications[0][-1],
        "CNY",
        [],
    )


def test_a_code_already_taken_fails_loudly_instead_of_dropping_an_organisation(db):
    Organization.objects.create(name_zh="别的企业", uscc=uscc_for(7), ftz_area=FTZArea.ZHENGZHOU)
    with pytest.raises(IntegrityError):
        call_command("seed_bulk", "--applications", "10", stdout=io.StringIO())


def test_a_reference_already_taken_fails_loudly(db):
    call_command("seed_bulk", "--applications", "20", stdout=io.StringIO())
    ReferenceCounter.objects.update(last=0)
    with pytest.raises(IntegrityError):
        call_command("seed_bulk", "--applications", "20", stdout=io.StringIO())
    assert TravelApplication.objects.count() == 20


def test_seed_bulk_writes_passport_numbers_encrypted_and_found_again(officer):
    from django.db import connection

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
