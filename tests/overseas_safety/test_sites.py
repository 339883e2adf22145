"""Overseas sites and stationed staff (services.sites): who writes, the rules on countries and dates, the
overlap of stationings, closing and ending, and the audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from foreign_affairs.audit.models import AuditEvent
from overseas_safety.models import Site, Stationing
from overseas_safety.services import sites
from tests.factories import PersonFactory

from .factories import SiteFactory, StationingFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def site_data(**changes) -> dict:
    return {
        "name": "拉各斯铁路项目部",
        "kind": "project",
        "country": "NG",
        "city": "Lagos",
        "address": "12 Marina Road",
        "chinese_staff_count": 30,
        "security_officer": "王安",
        "security_officer_phone": "+86 138 0000 0000",
        "emergency_phone": "+234 803 000 0000",
        **changes,
    }


def days(n: int):
    return TODAY() + timedelta(days=n)


# Sites -----------------------------------------------------------------------------------------------------


def test_liaison_registers_a_site_audited(liaison):
    site = sites.site_create(actor=liaison, organization=liaison.organization, data=site_data())

    assert site.organization == liaison.organization
    assert site.country.code == "NG"
    event = AuditEvent.objects.get(action="site.create")
    assert event.object_id == str(site.pk) and event.data["country"] == "NG"


def test_applicant_and_leader_may_not_register_or_change(applicant, leader):
    with pytest.raises(PermissionDenied):
        sites.site_create(actor=applicant, organization=applicant.organization, data=site_data())
    site = SiteFactory(organization=applicant.organization)
    with pytest.raises(PermissionDenied):
        sites.site_update(site=site, actor=leader, data={"city": "Abuja"})
    assert Site.objects.get().city == "Lagos"


def test_another_organisations_site_is_not_found(liaison, other_organization):
    site = SiteFactory(organization=other_organization)
    with pytest.raises(Http404):
        sites.site_update(site=site, actor=liaison, data={"city": "Abuja"})
    with pytest.raises(Http404):
        sites.site_create(actor=liaison, organization=other_organization, data=site_data())
    assert Site.objects.get().city == "Lagos"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"country": "CN"}, "country"),
        ({"country": "HK"}, "country"),
        ({"opened_on": days(-10), "closed_on": days(-20)}, "closed_on"),
        ({"closed_on": days(3)}, "closed_on"),
        ({"emergency_phone": "call the office"}, "emergency_phone"),
        ({"kind": "palace"}, "kind"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_site_input_is_refused_by_field_and_nothing_is_saved(liaison, changes, field):
    with pytest.raises(ValidationError) as refused:
        sites.site_create(actor=liaison, organization=liaison.organization, data=site_data(**changes))

    assert field in refused.value.message_dict
    assert not Site.objects.exists()
    assert not AuditEvent.objects.filter(action="site.create").exists()


def test_officer_corrects_any_site_with_before_and_after_in_the_audit(officer, other_organization):
    site = SiteFactory(organization=other_organization)

    sites.site_update(site=site, actor=officer, data={"city": "Abuja", "name": site.name})

    site.refresh_from_db()
    assert site.city == "Abuja"
    event = AuditEvent.objects.get(action="site.update")
    assert event.data == {"before": {"city": "Lagos"}, "after": {"city": "Abuja"}}


def test_an_update_that_changes_nothing_is_not_audited(liaison):
    site = SiteFactory(organization=liaison.organization)
    sites.site_update(site=site, actor=liaison, data={"city": "Lagos", "country": "ng"})
    assert not AuditEvent.objects.filter(action="site.update").exists()


def test_closing_a_site_ends_its_running_stationings_on_the_closing_day(liaison):
    site = SiteFactory(organization=liaison.organization)
    running = StationingFactory(site=site, starts_on=days(-60))
    ending_later = StationingFactory(site=site, starts_on=days(-60), ends_on=days(30))
    ended = StationingFactory(site=site, starts_on=days(-90), ends_on=days(-70))

    sites.site_close(site=site, actor=liaison, closed_on=days(-1))

    assert Site.objects.get().closed_on == days(-1)
    ends = dict(Stationing.objects.values_list("pk", "ends_on"))
    assert ends == {running.pk: days(-1), ending_later.pk: days(-1), ended.pk: days(-70)}
    assert AuditEvent.objects.filter(action="stationing.update").count() == 2


def test_closing_before_someone_arrives_is_refused_naming_them(liaison):
    site = SiteFactory(organization=liaison.organization)
    person = PersonFactory(organization=liaison.organization, full_name="李雷")
    StationingFactory(site=site, person=person, starts_on=days(-2))

    with pytest.raises(ValidationError) as refused:
        sites.site_close(site=site, actor=liaison, closed_on=days(-5))

    assert "李雷" in refused.value.message_dict["closed_on"][0]
    assert Site.objects.get().closed_on is None
    assert Stationing.objects.get().ends_on is None


def test_opening_date_after_a_stationing_started_is_refused(liaison):
    site = SiteFactory(organization=liaison.organization)
    StationingFactory(site=site, starts_on=days(-30))
    with pytest.raises(ValidationError) as refused:
        sites.site_update(site=site, actor=liaison, data={"opened_on": days(-10)})
    assert "opened_on" in refused.value.message_dict


# Stationed staff -------------------------------------------------------------------------------------------


def station(actor, site, person, **data):
    return sites.stationing_create(
        actor=actor,
        data={"site": site.pk, "person": person.pk, "post": "项目经理", "starts_on": days(-5), **data},
    )


def test_liaison_stations_a_person_audited(liaison):
    site = SiteFactory(organization=liaison.organization)
    person = PersonFactory(organization=liaison.organization)

    stationing = station(liaison, site, person, ends_on=days(100))

    assert (stationing.site, stationing.person, stationing.ends_on) == (site, person, days(100))
    assert AuditEvent.objects.get(action="stationing.create").data["person"] == person.pk


def test_a_person_or_site_of_another_organisation_is_refused(liaison, other_organization):
    site = SiteFactory(organization=liaison.organization)
    with pytest.raises(ValidationError) as refused:
        station(liaison, site, PersonFactory(organization=other_organization))
    assert "person" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        station(
            liaison,
            SiteFactory(organization=other_organization),
            PersonFactory(organization=liaison.organization),
        )
    assert "site" in refused.value.message_dict
    assert not Stationing.objects.exists()


def test_applicant_may_not_station_anyone(applicant):
    site = SiteFactory(organization=applicant.organization)
    with pytest.raises(PermissionDenied):
        station(applicant, site, PersonFactory(organization=applicant.organization))


@pytest.mark.parametrize(
    ("site_period", "dates", "field"),
    [
        ({}, {"starts_on": days(-1), "ends_on": days(-3)}, "ends_on"),
        ({"opened_on": days(-10)}, {"starts_on": days(-20)}, "starts_on"),
        ({"opened_on": days(-30), "closed_on": days(-10)}, {"starts_on": days(-20)}, "ends_on"),
        (
            {"opened_on": days(-30), "closed_on": days(-10)},
            {"starts_on": days(-5), "ends_on": days(-4)},
            "starts_on",
        ),
    ],
)
def test_dates_out_of_order_or_outside_the_sites_open_period_are_refused(liaison, site_period, dates, field):
    site = SiteFactory(organization=liaison.organization, **site_period)
    with pytest.raises(ValidationError) as refused:
        station(liaison, site, PersonFactory(organization=liaison.organization), **dates)
    assert field in refused.value.message_dict
    assert not Stationing.objects.exists()


def test_a_person_is_not_stationed_twice_at_overlapping_dates_at_any_site(liaison):
    first, second = SiteFactory.create_batch(2, organization=liaison.organization)
    person = PersonFactory(organization=liaison.organization, full_name="韩梅梅")
    station(liaison, first, person, starts_on=days(-30), ends_on=days(-10))

    with pytest.raises(ValidationError) as refused:
        station(liaison, second, person, starts_on=days(-10))

    message = refused.value.message_dict["starts_on"][0]
    assert "韩梅梅" in message and first.name in message
    station(liaison, second, person, starts_on=days(-9))  # the day after: no overlap
    assert Stationing.objects.count() == 2


def test_ending_and_changing_a_stationing_are_audited_and_checked(liaison):
    stationing = StationingFactory(site=SiteFactory(organization=liaison.organization), starts_on=days(-30))

    sites.stationing_end(stationing=stationing, actor=liaison)
    assert Stationing.objects.get().ends_on == TODAY()
    event = AuditEvent.objects.get(action="stationing.update")
    assert event.data["after"] == {"ends_on": TODAY().isoformat()}

    with pytest.raises(ValidationError) as refused:
        sites.stationing_update(stationing=stationing, actor=liaison, data={"ends_on": days(-40)})
    assert "ends_on" in refused.value.message_dict
    assert Stationing.objects.get().ends_on == TODAY()


def test_moving_a_stationing_to_another_organisations_site_is_refused(liaison, officer, other_organization):
    stationing = StationingFactory(site=SiteFactory(organization=liaison.organization))
    foreign = SiteFactory(organization=other_organization)
    for actor in (liaison, officer):
        with pytest.raises(ValidationError) as refused:
            sites.stationing_update(stationing=stationing, actor=actor, data={"site": foreign.pk})
        assert "site" in refused.value.message_dict
    assert Stationing.objects.get().site_id == stationing.site_id


def test_another_organisations_stationing_is_not_found(liaison, other_organization):
    stationing = StationingFactory(site=SiteFactory(organization=other_organization))
    with pytest.raises(Http404):
        sites.stationing_end(stationing=stationing, actor=liaison)
    assert Stationing.objects.get().ends_on is None
