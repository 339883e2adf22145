"""Presence abroad: who of ours is in a country on a day, from approved trips, stationed staff and sites
(selectors.presence_by_country and presence_in), on the boundary days, scoped, in a fixed number of
queries."""

from datetime import date, timedelta

import pytest

from approvals.models import DelegationMember, ItineraryLeg
from approvals.workflow import State
from overseas_safety.selectors import presence_by_country, presence_in
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory
from tests.overseas_safety.factories import SiteFactory, StationingFactory

pytestmark = pytest.mark.django_db

D = date(2026, 3, 10)


def trip(organization, *legs, state=State.APPROVED, people=None, returned_on=None):
    """An application in `state` with legs (country, city, arrive_on, leave_on) and its travellers."""
    application = ApplicationFactory(
        organization=organization, trip=False, state=state, actual_return_date=returned_on
    )
    for position, (country, city, arrive_on, leave_on) in enumerate(legs):
        ItineraryLeg.objects.create(
            application=application,
            position=position,
            country=country,
            city=city,
            arrive_on=arrive_on,
            leave_on=leave_on,
            host_organization="Host",
        )
    for index, person in enumerate(people or [PersonFactory(organization=organization)]):
        DelegationMember.objects.create(
            application=application, person=person, position_on_trip="团员", is_leader=index == 0
        )
    return application


def figures(day, user=None) -> dict:
    return {
        row.country: (row.travellers, row.stationed, row.people, row.sites, row.chinese_staff)
        for row in presence_by_country(day, user=user)
    }


def test_a_traveller_is_in_a_country_from_the_first_to_the_last_day_of_the_leg(organization):
    trip(
        organization,
        ("DE", "Hamburg", D, D + timedelta(days=3)),
        ("FR", "Lyon", D + timedelta(days=3), D + timedelta(days=5)),
    )

    assert figures(D - timedelta(days=1)) == {}
    assert figures(D) == {"DE": (1, 0, 1, 0, 0)}
    # The day of the move counts in both countries.
    assert figures(D + timedelta(days=3)) == {"DE": (1, 0, 1, 0, 0), "FR": (1, 0, 1, 0, 0)}
    assert figures(D + timedelta(days=5)) == {"FR": (1, 0, 1, 0, 0)}
    assert figures(D + timedelta(days=6)) == {}


def test_a_trip_back_early_counts_until_its_return_date(organization):
    trip(organization, ("DE", "Berlin", D, D + timedelta(days=9)), returned_on=D + timedelta(days=2))

    assert figures(D + timedelta(days=2)) == {"DE": (1, 0, 1, 0, 0)}
    assert figures(D + timedelta(days=3)) == {}


@pytest.mark.parametrize("state", [State.CANCELLED, State.IN_REVIEW, State.WITHDRAWN, State.CLOSED])
def test_a_trip_not_approved_or_no_longer_under_way_is_not_abroad(organization, state):
    trip(organization, ("DE", "Berlin", D, D + timedelta(days=3)), state=state)

    assert figures(D) == {}


def test_a_trip_with_its_permit_issued_is_abroad(organization):
    trip(organization, ("DE", "Berlin", D, D), state=State.PERMIT_ISSUED)

    assert figures(D) == {"DE": (1, 0, 1, 0, 0)}


def test_stationed_staff_count_from_their_first_to_their_last_day(organization):
    site = SiteFactory(organization=organization, country="NG", chinese_staff_count=0)
    StationingFactory(site=site, starts_on=D, ends_on=D + timedelta(days=30))
    StationingFactory(site=site, starts_on=D + timedelta(days=10), ends_on=None)

    assert figures(D - timedelta(days=1))["NG"][:3] == (0, 0, 0)
    assert figures(D)["NG"][:3] == (0, 1, 1)
    assert figures(D + timedelta(days=30))["NG"][:3] == (0, 2, 2)
    assert figures(D + timedelta(days=31))["NG"][:3] == (0, 1, 1)
    assert figures(D + timedelta(days=3000))["NG"][:3] == (0, 1, 1)


def test_sites_count_while_open_with_their_chinese_staff(organization):
    SiteFactory(
        organization=organization,
        country="KE",
        chinese_staff_count=12,
        opened_on=D,
        closed_on=D + timedelta(days=5),
    )
    SiteFactory(organization=organization, country="KE", chinese_staff_count=30)

    assert figures(D - timedelta(days=1)) == {"KE": (0, 0, 0, 1, 30)}
    assert figures(D) == {"KE": (0, 0, 0, 2, 42)}
    assert figures(D + timedelta(days=5)) == {"KE": (0, 0, 0, 2, 42)}
    assert figures(D + timedelta(days=6)) == {"KE": (0, 0, 0, 1, 30)}


def test_a_stationed_person_also_on_a_trip_there_counts_once_among_the_people(organization):
    person, colleague = PersonFactory(organization=organization), PersonFactory(organization=organization)
    site = SiteFactory(organization=organization, country="DE", chinese_staff_count=2)
    StationingFactory(site=site, person=person, starts_on=D - timedelta(days=100))
    trip(organization, ("DE", "Berlin", D, D + timedelta(days=2)), people=[person, colleague])
    # The same traveller on a second trip there that day is still one person.
    trip(organization, ("DE", "Munich", D, D), people=[colleague])

    assert figures(D) == {"DE": (2, 1, 2, 1, 2)}
    presence = presence_in("DE", D)
    assert (len(presence.travellers), len(presence.stationed), presence.people) == (3, 1, 2)


def test_an_enterprise_user_counts_only_their_organisation(applicant, other_organization, officer):
    organization = applicant.organization
    trip(organization, ("DE", "Berlin", D, D))
    trip(
        other_organization,
        ("DE", "Berlin", D, D),
        people=[PersonFactory(organization=other_organization)] * 1,
    )
    StationingFactory(
        site=SiteFactory(organization=other_organization, country="NG", chinese_staff_count=5), starts_on=D
    )

    assert figures(D, applicant) == {"DE": (1, 0, 1, 0, 0)}
    assert figures(D, officer) == {"DE": (2, 0, 2, 0, 0), "NG": (0, 1, 1, 1, 5)}
    assert [row["organization_id"] for row in presence_in("DE", D, user=applicant).travellers] == [
        organization.pk
    ]


def _spread(organization, countries):
    for index, country in enumerate(countries):
        trip(organization, (country, "City", D - timedelta(days=index), D + timedelta(days=1)))
        site = SiteFactory(organization=organization, country=country)
        StationingFactory(site=site, starts_on=D - timedelta(days=5))


def test_the_figures_take_two_queries_however_many_countries_and_people(
    organization, django_assert_num_queries
):
    _spread(organization, ["DE"])
    with django_assert_num_queries(2):
        assert len(presence_by_country(D)) == 1

    _spread(organization, ["FR", "NG", "KE", "BR", "TH", "VN", "AE"])
    with django_assert_num_queries(2):
        rows = presence_by_country(D)
    assert len(rows) == 8 and all(row.people == 2 for row in rows)
