"""The presence pages (/safety/presence/: the world map with its table, and a page per country) and the API
(/api/v1/safety/presence/), as office and as enterprise users."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import TravelApplication
from foreign_affairs.security.models import CountryAdvisory
from tests.factories import PersonFactory
from tests.overseas_safety.factories import SiteFactory, StationingFactory
from tests.overseas_safety.test_presence import trip

pytestmark = pytest.mark.django_db

OVERVIEW = "/safety/presence/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def abroad(applicant, other_organization, today):
    """The applicant's organisation: a traveller in Germany (Hamburg) and a site in Nigeria (Lagos) with one
    stationed person; the other organisation: a site with one stationed person in Kenya (Nairobi)."""
    organization = applicant.organization
    trip(
        organization,
        ("DE", "Hamburg", today - timedelta(days=1), today + timedelta(days=2)),
        people=[PersonFactory(organization=organization, full_name="周游")],
    )
    lagos = SiteFactory(
        organization=organization, name="Lekki port", country="NG", city="Lagos", chinese_staff_count=40
    )
    abuja = SiteFactory(
        organization=organization, name="Abuja office", country="NG", city="Abuja", chinese_staff_count=3
    )
    StationingFactory(
        site=lagos, person=PersonFactory(organization=organization, full_name="常驻甲"), post="Site manager"
    )
    StationingFactory(
        site=abuja, person=PersonFactory(organization=organization, full_name="常驻乙"), post="Driver"
    )
    nairobi = SiteFactory(organization=other_organization, name="Nairobi rail", country="KE", city="Nairobi")
    StationingFactory(site=nairobi, person=PersonFactory(organization=other_organization, full_name="别家人"))
    return organization


def map_link(html: str, code: str) -> str:
    match = re.search(rf'<a [^>]*data-country="{code}"[^>]*>.*?</a>', html)
    assert match, code
    return match.group(0)


@pytest.mark.parametrize("path", [OVERVIEW, "/safety/presence/NG/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_office_sees_every_country_on_the_map_and_in_the_table(client, officer, abroad, settings):
    CountryAdvisory.objects.create(country="NG", level="high")
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(OVERVIEW).content.decode()

    nigeria = map_link(html, "NG")
    assert 'data-people="2"' in nigeria and " s1 " in nigeria and "adv-high" in nigeria
    assert "<title>Nigeria: 2 people, high risk</title>" in nigeria
    assert 'href="/safety/presence/NG/"' in nigeria
    assert 'data-people="1"' in map_link(html, "KE") and 'data-people="0"' in map_link(html, "FR")
    table = html.split('data-testid="presence-table"')[1]
    rows = {
        code: re.sub(r"<[^>]+>|\s+", " ", row).split()
        for code, row in re.findall(r'<tr data-country="(\w\w)">(.*?)</tr>', table, re.S)
    }
    # Country, advisory, people, travellers, stationed, sites, Chinese staff on sites.
    assert rows["NG"][-5:] == ["2", "0", "2", "2", "43"] and "high" in rows["NG"]
    assert rows["DE"][-5:] == ["1", "1", "0", "0", "0"]
    assert rows["KE"][-5:] == ["1", "0", "1", "1", "12"]


def test_an_enterprise_user_sees_only_their_organisation_on_the_map(client, applicant, abroad):
    client.force_login(applicant)

    html = client.get(OVERVIEW).content.decode()

    assert 'data-people="0"' in map_link(html, "KE")
    assert 'data-country="KE">' not in html.split('data-testid="presence-table"')[1]
    assert '<tr data-country="NG">' in html


def test_the_table_filters_by_country_name_and_advisory_level(client, officer, abroad):
    CountryAdvisory.objects.create(country="NG", level="high")
    client.force_login(officer)

    by_name = client.get(OVERVIEW, {"q": "尼日利亚"}).content.decode()
    by_level = client.get(OVERVIEW, {"level": "high"}).content.decode()

    for html in (by_name, by_level):
        assert re.findall(r'<tr data-country="(\w\w)">', html) == ["NG"]


def test_a_past_day_shows_who_was_there_then(client, officer, abroad, today):
    client.force_login(officer)

    day = (today - timedelta(days=5)).isoformat()
    html = client.get(OVERVIEW, {"date": day}).content.decode()

    assert '<tr data-country="DE">' not in html and '<tr data-country="NG">' in html
    assert f'href="/safety/presence/NG/?date={day}"' in map_link(html, "NG")


def test_a_day_that_is_not_a_date_shows_today_with_the_error(client, officer, abroad):
    client.force_login(officer)

    response = client.get(OVERVIEW, {"date": "2026-02-31"})

    assert response.status_code == 200
    assert 'id="date-error"' in response.content.decode() and response.context["day"] == timezone.localdate()


def test_the_map_page_takes_the_same_number_of_queries_for_one_country_or_many(
    client, officer, organization, today
):
    client.force_login(officer)
    StationingFactory(site=SiteFactory(organization=organization, country="NG"))
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as few:
        client.get(OVERVIEW)
    for country in ["DE", "FR", "KE", "BR", "TH", "VN", "AE", "EG", "PK"]:
        StationingFactory(site=SiteFactory(organization=organization, country=country))
        trip(organization, (country, "City", today, today))
    with CaptureQueriesContext(connection) as many:
        client.get(OVERVIEW)

    assert len(many) == len(few)


def test_the_country_page_lists_travellers_stationed_staff_and_sites(client, officer, abroad):
    client.force_login(officer)

    nigeria = client.get("/safety/presence/NG/").content.decode()
    germany = client.get("/safety/presence/de/").content.decode()

    assert "常驻甲" in nigeria and "Site manager" in nigeria and "Lekki port" in nigeria
    assert "12 Marina Road" in nigeria and "+234 803 000 0000" in nigeria and "王安" in nigeria
    assert "别家人" not in nigeria
    figures = re.sub(r"<[^>]+>|\s+", " ", nigeria.split('data-testid="figures"')[1].split("</dl>")[0]).split()
    assert figures[-1] == "43"
    reference = TravelApplication.objects.get(organization=abroad).reference
    assert "周游" in germany and "Hamburg" in germany and reference in germany


def test_the_country_page_narrows_to_a_city(client, officer, abroad):
    client.force_login(officer)

    html = client.get("/safety/presence/NG/", {"city": "lagos"}).content.decode()

    assert "Lekki port" in html and "Abuja office" not in html and "常驻乙" not in html


def test_an_enterprise_user_sees_only_their_organisation_in_a_country(client, other_applicant, abroad):
    client.force_login(other_applicant)

    kenya = client.get("/safety/presence/KE/").content.decode()
    nigeria = client.get("/safety/presence/NG/").content.decode()

    assert "别家人" in kenya and "Nairobi rail" in kenya
    assert "Lekki port" not in nigeria and "常驻甲" not in nigeria


def test_an_unknown_country_is_not_found(client, officer):
    client.force_login(officer)

    assert client.get("/safety/presence/ZZ/").status_code == 404


# API ------------------------------------------------------------------------------------------------------


def test_the_api_lists_the_figures_per_country(api_as, officer, applicant, abroad, today):
    office = api_as(officer).get("/api/v1/safety/presence/").json()
    enterprise = api_as(applicant).get("/api/v1/safety/presence/", {"date": today.isoformat()}).json()

    figures = {
        row["country"]: (
            row["people"],
            row["travellers"],
            row["stationed"],
            row["sites"],
            row["chinese_staff"],
        )
        for row in office
    }
    assert [row["country"] for row in office] == ["NG", "KE", "DE"]  # people, then sites
    assert figures == {"NG": (2, 0, 2, 2, 43), "DE": (1, 1, 0, 0, 0), "KE": (1, 0, 1, 1, 12)}
    assert {row["country"] for row in enterprise} == {"NG", "DE"}
    assert office[0]["url"].endswith(f"/api/v1/safety/presence/NG/?date={today.isoformat()}")


def test_the_api_gives_one_country_with_its_three_sources(api_as, officer, abroad):
    body = api_as(officer).get("/api/v1/safety/presence/NG/").json()

    assert (body["country"], body["people"], body["chinese_staff"], body["advisory_level"]) == (
        "NG",
        2,
        43,
        "low",
    )
    assert body["travellers"] == []
    assert sorted(row["person_name"] for row in body["stationed"]) == ["常驻乙", "常驻甲"]
    assert {row["name"]: row["emergency_phone"] for row in body["sites"]} == {
        "Lekki port": "+234 803 000 0000",
        "Abuja office": "+234 803 000 0000",
    }


def test_the_api_answers_a_bad_date_with_400_and_an_unknown_country_with_404(api_as, officer):
    client = api_as(officer)

    bad_date = client.get("/api/v1/safety/presence/", {"date": "tomorrow"})
    unknown = client.get("/api/v1/safety/presence/ZZ/")

    assert bad_date.status_code == 400
    assert bad_date.json()["code"] == "invalid" and bad_date.json()["errors"][0]["field"] == "date"
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_the_api_requires_sign_in(api_client):
    assert api_client.get("/api/v1/safety/presence/").status_code == 401


def test_a_country_with_many_people_lists_the_first_and_counts_them_all(client, officer, organization):
    from overseas_safety.views import presence as presence_views

    from .factories import SiteFactory, StationingFactory

    site = SiteFactory(organization=organization, country="KE", city="Nairobi")
    for _ in range(4):
        StationingFactory(site=site)
    presence_views.LISTED, listed = 3, presence_views.LISTED
    try:
        client.force_login(officer)
        page = client.get("/safety/presence/KE/").content.decode()
    finally:
        presence_views.LISTED = listed
    assert 'data-testid="more-stationed"' in page
    assert "<dd>4</dd>" in page
