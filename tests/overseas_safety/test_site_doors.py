"""Overseas sites and stationed staff through every door: the pages, the API and the back office — scoping
(another organisation's is 404), the error shapes, the liaison's registrations, and lists whose number of
queries does not grow with their rows."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from foreign_affairs.audit.models import AuditEvent
from overseas_safety.models import Site, Stationing
from tests.factories import PersonFactory

from .factories import SiteFactory, StationingFactory

pytestmark = pytest.mark.django_db

SITES = "/safety/sites/"
STATIONED = "/safety/stationed/"
API_SITES = "/api/v1/safety/sites/"
API_STATIONED = "/api/v1/safety/stationed-staff/"


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def as_user(client):
    """`client` signed in as `user`, in English (assertions read the source strings)."""

    def sign_in(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


SITE_FORM = {
    "name": "Lagos–Kano railway, section 3",
    "kind": "project",
    "country": "NG",
    "city": "Kano",
    "address": "Plot 4, Zaria Road",
    "chinese_staff_count": "40",
    "security_officer": "王安",
    "security_officer_phone": "+86 138 0000 0000",
    "emergency_phone": "+234 803 000 0000",
    "local_security_contact": "",
    "opened_on": "",
}


# Pages -----------------------------------------------------------------------------------------------------


def test_liaison_registers_a_site_and_a_stationing_through_the_pages(as_user, liaison):
    client = as_user(liaison)
    assert "Register a site" in client.get(SITES).content.decode()  # the empty state says what to do

    created = client.post(f"{SITES}new/", SITE_FORM)
    site = Site.objects.get()
    assert created.status_code == 302 and created.url == site.get_absolute_url()
    assert site.organization == liaison.organization

    person = PersonFactory(organization=liaison.organization)
    form = client.get(f"{STATIONED}new/", {"site": site.pk})
    assert form.status_code == 200 and person.full_name in form.content.decode()
    stationed = client.post(
        f"{STATIONED}new/",
        {
            "person": person.pk,
            "site": site.pk,
            "post": "Cook",
            "starts_on": days(-3).isoformat(),
            "ends_on": "",
        },
    )
    assert stationed.status_code == 302
    detail = client.get(site.get_absolute_url()).content.decode()
    assert 'data-testid="current-count">1<' in detail and "Cook" in detail


def test_page_form_errors_keep_what_was_typed_and_change_nothing(as_user, liaison):
    client = as_user(liaison)
    answer = client.post(f"{SITES}new/", {**SITE_FORM, "country": "CN", "emergency_phone": "ring us"})

    assert answer.status_code == 400
    content = answer.content.decode()
    assert 'id="error-summary"' in content and "China itself is not a destination" in content
    assert "Lagos–Kano railway, section 3" in content
    assert not Site.objects.exists()


def test_overlapping_stationing_is_refused_on_the_page_with_the_reason(as_user, liaison):
    site = SiteFactory(organization=liaison.organization)
    existing = StationingFactory(site=site, starts_on=days(-30))
    answer = as_user(liaison).post(
        f"{STATIONED}new/",
        {"person": existing.person_id, "site": site.pk, "post": "Driver", "starts_on": days(-1).isoformat()},
    )
    assert answer.status_code == 400
    assert "is already stationed at" in answer.content.decode()
    assert Stationing.objects.count() == 1


def test_another_organisations_site_and_stationing_pages_are_404(as_user, liaison, other_organization):
    site = SiteFactory(organization=other_organization)
    stationing = StationingFactory(site=site)
    client = as_user(liaison)
    for url in (
        site.get_absolute_url(),
        f"{SITES}{site.pk}/edit/",
        f"{SITES}{site.pk}/close/",
        f"{STATIONED}{stationing.pk}/edit/",
        f"{STATIONED}{stationing.pk}/end/",
    ):
        assert client.get(url).status_code == 404, url
    assert site.name not in client.get(SITES).content.decode()
    assert client.post(f"{SITES}{site.pk}/close/", {"closed_on": days(0).isoformat()}).status_code == 404
    assert Site.objects.get().closed_on is None


def test_applicant_reads_but_does_not_register_or_change(as_user, applicant):
    site = SiteFactory(organization=applicant.organization)
    client = as_user(applicant)
    listing = client.get(SITES).content.decode()
    assert site.name in listing and 'data-testid="site-create"' not in listing
    assert 'data-testid="actions"' not in client.get(site.get_absolute_url()).content.decode()
    assert client.get(f"{SITES}new/").status_code == 403
    assert client.post(f"{SITES}{site.pk}/edit/", {**SITE_FORM, "city": "Abuja"}).status_code == 403
    assert Site.objects.get().city == "Lagos"


def test_liaison_closes_a_site_and_ends_a_stationing_on_the_pages(as_user, liaison):
    site = SiteFactory(organization=liaison.organization)
    leaving, staying = StationingFactory.create_batch(2, site=site, starts_on=days(-20))
    client = as_user(liaison)

    assert client.post(f"{STATIONED}{leaving.pk}/end/", {"ends_on": days(-2).isoformat()}).status_code == 302
    assert "1 person is stationed there now" in client.get(f"{SITES}{site.pk}/close/").content.decode()
    assert client.post(f"{SITES}{site.pk}/close/", {"closed_on": days(-1).isoformat()}).status_code == 302

    assert Site.objects.get().closed_on == days(-1)
    assert dict(Stationing.objects.values_list("pk", "ends_on")) == {
        leaving.pk: days(-2),
        staying.pk: days(-1),
    }


def test_office_sees_every_organisation_with_an_organisation_filter(
    as_user, leader, organization, other_organization
):
    ours = SiteFactory(organization=organization, name="Dubai office", country="AE", kind="office")
    theirs = SiteFactory(organization=other_organization, name="Kano site")
    client = as_user(leader)

    everything = client.get(SITES).content.decode()
    assert ours.name in everything and theirs.name in everything
    narrowed = client.get(SITES, {"organization": other_organization.pk}).content.decode()
    assert theirs.name in narrowed and ours.name not in narrowed
    by_country = client.get(SITES, {"country": "AE", "kind": "office", "status": "open"}).content.decode()
    assert ours.name in by_country and theirs.name not in by_country
    assert client.get(ours.get_absolute_url()).status_code == 200
    assert client.get(f"{SITES}new/").status_code == 403


def test_officer_corrects_a_site_on_its_page_and_is_offered_no_link_that_refuses(as_user, officer):
    site = SiteFactory()
    client = as_user(officer)
    page = client.get(site.get_absolute_url()).content.decode()
    assert f"{SITES}{site.pk}/edit/" in page and f"{STATIONED}new/" not in page

    answer = client.post(f"{SITES}{site.pk}/edit/", {**SITE_FORM, "city": "Abuja"})
    assert answer.status_code == 302
    assert Site.objects.get().city == "Abuja"


def test_stationed_list_filters_current_and_past(as_user, liaison):
    site = SiteFactory(organization=liaison.organization)
    now = StationingFactory(site=site, post="Engineer now", starts_on=days(-10))
    before = StationingFactory(site=site, post="Engineer before", starts_on=days(-90), ends_on=days(-60))
    client = as_user(liaison)

    current = client.get(STATIONED, {"period": "current", "site": site.pk}).content.decode()
    assert now.post in current and before.post not in current
    past = client.get(STATIONED, {"period": "past"}).content.decode()
    assert before.post in past and now.post not in past


def make_sites(organization, count):
    for site in SiteFactory.create_batch(count, organization=organization):
        StationingFactory.create_batch(2, site=site)


def test_page_lists_queries_do_not_grow_with_rows(as_user, liaison, django_assert_max_num_queries):
    client = as_user(liaison)
    make_sites(liaison.organization, 2)
    counts = {}
    for url in (SITES, STATIONED):
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    make_sites(liaison.organization, 12)
    for url in (SITES, STATIONED):
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


# API -------------------------------------------------------------------------------------------------------


API_SITE = {
    "name": "迪拜代表处",
    "kind": "office",
    "country": "AE",
    "city": "Dubai",
    "address": "Sheikh Zayed Road 1",
    "security_officer": "李安",
    "security_officer_phone": "+86 138 0000 0001",
    "emergency_phone": "+971 50 000 0000",
}


def test_liaison_creates_a_site_and_a_stationing_through_the_api(api_as, liaison):
    client = api_as(liaison)
    created = client.post(API_SITES, API_SITE, format="json")
    assert created.status_code == 201, created.data
    assert created.data["organization"] == liaison.organization.pk
    assert (created.data["status"], created.data["stationed_now"]) == ("open", 0)

    person = PersonFactory(organization=liaison.organization)
    stationed = client.post(
        API_STATIONED,
        {"site": created.data["id"], "person": person.pk, "post": "代表", "starts_on": days(-1).isoformat()},
        format="json",
    )
    assert stationed.status_code == 201, stationed.data
    assert stationed.data["status"] == "current"
    assert client.get(f"{API_SITES}{created.data['id']}/").data["stationed_now"] == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "ZZ"}, "country"),
        ({"country": "TW"}, "country"),
        ({"closed_on": "2020-01-01"}, "closed_on"),
    ],
)
def test_bad_site_input_answers_400_in_the_contracts_shape(api_as, liaison, changes, field):
    body = {**API_SITE, **changes}
    if field == "closed_on":
        body["opened_on"] = "2021-01-01"
    answer = api_as(liaison).post(API_SITES, body, format="json")

    assert answer.status_code == 400
    assert answer.data["code"] == "invalid" and answer.data["detail"]
    assert [error["field"] for error in answer.data["errors"]] == [field]
    assert not Site.objects.exists()


def test_stationing_with_another_organisations_person_or_overlapping_answers_400(
    api_as, liaison, other_organization
):
    site = SiteFactory(organization=liaison.organization)
    existing = StationingFactory(site=site, starts_on=days(-30))
    client = api_as(liaison)
    body = {"site": site.pk, "post": "厨师", "starts_on": days(-1).isoformat()}

    stranger = client.post(
        API_STATIONED, {**body, "person": PersonFactory(organization=other_organization).pk}
    )
    assert stranger.status_code == 400 and stranger.data["errors"][0]["field"] == "person"
    twice = client.post(API_STATIONED, {**body, "person": existing.person_id})
    assert twice.status_code == 400 and twice.data["errors"][0]["field"] == "starts_on"
    backwards = client.post(
        API_STATIONED,
        {**body, "person": PersonFactory(organization=liaison.organization).pk, "ends_on": days(-5)},
    )
    assert backwards.status_code == 400 and backwards.data["errors"][0]["field"] == "ends_on"
    assert Stationing.objects.count() == 1


def test_api_scoping_answers_404_for_another_organisation_and_403_for_readers(
    api_as, liaison, applicant, other_organization
):
    theirs = SiteFactory(organization=other_organization)
    their_stationing = StationingFactory(site=theirs)
    client = api_as(liaison)
    assert client.get(f"{API_SITES}{theirs.pk}/").status_code == 404
    assert client.patch(f"{API_SITES}{theirs.pk}/", {"city": "X"}, format="json").status_code == 404
    assert client.patch(f"{API_STATIONED}{their_stationing.pk}/", {"ends_on": days(0)}).status_code == 404
    assert client.get(API_SITES).data["count"] == 0
    site_elsewhere = client.post(
        API_STATIONED,
        {"site": theirs.pk, "person": their_stationing.person_id, "post": "x", "starts_on": days(0)},
    )
    assert site_elsewhere.status_code == 400 and site_elsewhere.data["errors"][0]["field"] == "site"

    ours = SiteFactory(organization=applicant.organization)
    refused = api_as(applicant).patch(f"{API_SITES}{ours.pk}/", {"city": "Abuja"}, format="json")
    assert refused.status_code == 403 and refused.data["code"] == "permission_denied"
    assert client.delete(f"{API_SITES}{ours.pk}/").status_code == 405
    assert Site.objects.get(pk=ours.pk).city == "Lagos"
    assert Stationing.objects.get().ends_on is None


def test_closing_and_ending_through_patch(api_as, liaison, officer, other_organization):
    site = SiteFactory(organization=liaison.organization)
    stationing = StationingFactory(site=site, starts_on=days(-10))
    client = api_as(liaison)

    ended = client.patch(f"{API_STATIONED}{stationing.pk}/", {"ends_on": days(-1).isoformat()}, format="json")
    assert ended.status_code == 200 and ended.data["status"] == "past"
    closed = client.patch(f"{API_SITES}{site.pk}/", {"closed_on": days(0).isoformat()}, format="json")
    assert closed.status_code == 200 and closed.data["status"] == "closed"

    theirs = SiteFactory(organization=other_organization)
    corrected = api_as(officer).patch(f"{API_SITES}{theirs.pk}/", {"city": "Abuja"}, format="json")
    assert corrected.status_code == 200 and corrected.data["city"] == "Abuja"


def test_api_filters_and_their_bad_values(api_as, officer, organization, other_organization):
    SiteFactory(organization=organization, country="AE")
    closed = SiteFactory(organization=other_organization, opened_on=days(-100), closed_on=days(-1))
    client = api_as(officer)

    assert [row["id"] for row in client.get(API_SITES, {"status": "closed"}).data["results"]] == [closed.pk]
    assert client.get(API_SITES, {"organization": organization.pk, "country": "ae"}).data["count"] == 1
    refused = client.get(API_SITES, {"status": "shut"})
    assert refused.status_code == 400 and refused.data["errors"][0]["field"] == "status"
    assert client.get(API_STATIONED, {"period": "someday"}).status_code == 400


def test_api_lists_queries_do_not_grow_with_rows(
    api_as, officer, organization, django_assert_max_num_queries
):
    client = api_as(officer)
    make_sites(organization, 2)
    counts = {}
    for url in (API_SITES, API_STATIONED):
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    make_sites(organization, 10)
    for url in (API_SITES, API_STATIONED):
        with django_assert_max_num_queries(counts[url]):
            assert len(client.get(url).data["results"]) > 4


# Back office -----------------------------------------------------------------------------------------------


def admin_url(name, *args):
    return reverse(f"admin:overseas_safety_{name}", args=args)


def admin_site_form(site, **changes):
    values = {
        field: getattr(site, field) for field in ("name", "kind", "city", "address", "chinese_staff_count")
    }
    values.update(
        country=site.country.code,
        security_officer=site.security_officer,
        security_officer_phone=site.security_officer_phone,
        emergency_phone=site.emergency_phone,
        local_security_contact=site.local_security_contact,
        opened_on=site.opened_on or "",
        closed_on=site.closed_on or "",
    )
    values.update(changes)
    return values


def test_officer_corrects_and_closes_a_site_in_the_back_office_through_the_service(as_user, officer):
    site = SiteFactory()
    stationing = StationingFactory(site=site, starts_on=days(-10))
    client = as_user(officer)

    answer = client.post(
        admin_url("site_change", site.pk), admin_site_form(site, city="Abuja", closed_on=days(-1))
    )

    assert answer.status_code == 302
    site.refresh_from_db()
    assert (site.city, site.closed_on) == ("Abuja", days(-1))
    assert Stationing.objects.get(pk=stationing.pk).ends_on == days(-1)
    assert AuditEvent.objects.get(action="site.update").data["after"]["city"] == "Abuja"


def test_back_office_refuses_bad_input_beside_the_field(as_user, officer):
    site = SiteFactory(opened_on=days(-10))
    answer = as_user(officer).post(
        admin_url("site_change", site.pk), admin_site_form(site, closed_on=days(-20))
    )

    assert answer.status_code == 200
    assert "The closing date must be on or after the opening date." in answer.content.decode()
    assert Site.objects.get().closed_on is None

    stationing = StationingFactory(site=site, starts_on=days(-5))
    refused = as_user(officer).post(
        admin_url("stationing_change", stationing.pk),
        {"site": site.pk, "post": "x", "starts_on": days(-20), "ends_on": ""},
    )
    assert refused.status_code == 200 and "The site is open from" in refused.content.decode()
    assert Stationing.objects.get().starts_on == days(-5)


def test_back_office_is_read_only_for_leaders_and_has_no_add_or_delete(as_user, leader, officer, manager):
    site = SiteFactory()
    stationing = StationingFactory(site=site)
    client = as_user(leader)
    assert client.get(admin_url("site_changelist")).status_code == 200
    assert client.get(admin_url("stationing_change", stationing.pk)).status_code == 200
    assert (
        client.post(admin_url("site_change", site.pk), admin_site_form(site, city="Abuja")).status_code == 403
    )
    assert Site.objects.get().city == "Lagos"
    assert as_user(manager).get(admin_url("site_change", site.pk)).status_code == 200
    officer_client = as_user(officer)
    for url in (admin_url("site_add"), admin_url("site_delete", site.pk), admin_url("stationing_add")):
        assert officer_client.get(url).status_code == 403, url


def test_back_office_lists_filter_and_keep_their_queries_flat(
    as_user, officer, organization, django_assert_max_num_queries
):
    client = as_user(officer)
    make_sites(organization, 2)
    SiteFactory(organization=organization, name="Closed yard", closed_on=days(-1), opened_on=days(-50))
    closed = client.get(admin_url("site_changelist"), {"open": "no"}).content.decode()
    assert "Closed yard" in closed and "Lagos project" not in closed
    counts = {}
    for name in ("site_changelist", "stationing_changelist"):
        with CaptureQueriesContext(connection) as few:
            assert client.get(admin_url(name)).status_code == 200
        counts[name] = len(few)
    make_sites(organization, 8)
    for name in ("site_changelist", "stationing_changelist"):
        with django_assert_max_num_queries(counts[name]):
            assert client.get(admin_url(name)).status_code == 200
