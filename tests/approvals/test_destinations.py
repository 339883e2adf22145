"""Destinations of a trip abroad: the form offers countries abroad only (named from the one source, in
pinyin order, with their advisory level), and the form, the API and the rules refuse China and its
regions Hong Kong, Macao and Taiwan (因公赴港澳台 is a procedure of its own)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from approvals import rules
from approvals.models import ItineraryLeg, TravelApplication
from approvals.rules import Leg, Member, TripDraft
from approvals.templatetags.approvals import country_names
from foreign_affairs.security.models import CountryAdvisory
from tests.approvals.factories import ApplicationFactory
from tests.approvals.test_api import URL, _body
from tests.approvals.test_views import existing, form_data, leg
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(organization):
    return [
        PersonFactory(organization=organization, full_name="张三", position="经理"),
        PersonFactory(organization=organization, full_name="李四", position="工程师"),
    ]


def options(page: str, select_id: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]* id="{select_id}"[^>]*>.*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


def test_the_itinerary_offers_countries_abroad_in_pinyin_order_with_their_advisory(client, applicant):
    CountryAdvisory.objects.create(country="SY", level="high")
    client.force_login(applicant)
    page = client.get("/applications/new/").content.decode()
    choices = options(page, "id_legs-0-country")
    codes = [code for code, _label in choices]
    assert codes[0] == "" and not {"CN", "TW", "HK", "MO"} & set(codes)
    assert codes.index("AL") < codes.index("DE") < codes.index("CF")
    labels = dict(choices)
    assert labels["SZ"] == "埃斯瓦蒂尼 Eswatini"
    assert labels["BA"].startswith("波斯尼亚和黑塞哥维那 ")
    assert labels["MK"] == "北马其顿 North Macedonia"
    assert labels["SY"].startswith("叙利亚 Syria · ")  # 高风险 once translated
    assert labels["DE"] == "德国 Germany"
    assert "因公赴港澳台" in page  # the itinerary says where travel to the regions is applied for


def test_the_empty_row_for_new_stops_offers_the_same_countries(client, applicant):
    client.force_login(applicant)
    page = client.get("/applications/new/").content.decode()
    template = page.split('id="legs-empty-form"', 1)[1]
    assert options(template, "id_legs-__prefix__-country") == options(page, "id_legs-0-country")


@pytest.mark.parametrize(("code", "says"), [("CN", "China itself"), ("HK", "因公赴港澳台"), ("TW", "Taiwan")])
def test_the_form_refuses_china_and_its_regions_with_the_reason(client, applicant, people, code, says):
    client.cookies["django_language"] = "en"
    client.force_login(applicant)
    start = timezone.localdate() + timedelta(days=60)
    data = form_data(
        legs=[leg(code, "某地", start, start + timedelta(days=2))],
        members=[existing(people[0], "团长", leader=True)],
    )
    response = client.post("/applications/new/", data)
    body = response.content.decode()
    assert response.status_code == 200 and not TravelApplication.objects.exists()
    assert 'href="#id_legs-0-country"' in body and says in body
    assert "is not one of the available choices" not in body


@pytest.mark.parametrize("code", ["CN", "HK"])
def test_the_api_refuses_china_and_its_regions_with_the_reason(api_as, applicant, organization, code):
    body = _body(PersonFactory.create_batch(2, organization=organization))
    body["legs"][0]["country"] = code
    response = api_as(applicant).post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.json()
    errors = [error for error in response.json()["errors"] if error.get("field") == "legs[0].country"]
    assert errors, response.json()
    text = str(errors[0])
    assert ("China itself" in text) if code == "CN" else ("因公赴港澳台" in text and "Hong Kong" in text)
    assert not TravelApplication.objects.exists()


def test_the_rules_refuse_china_and_its_regions(organization):
    start = timezone.localdate() + timedelta(days=60)
    person = PersonFactory(organization=organization, passport_expiry=start + timedelta(days=1000))
    draft = TripDraft(
        organization_id=organization.pk,
        legs=[
            Leg("DE", "汉堡", start, start + timedelta(days=1)),
            Leg("HK", "香港", start + timedelta(days=2), start + timedelta(days=3)),
            Leg("CN", "北京", start + timedelta(days=4), start + timedelta(days=4)),
        ],
        members=[Member(person, "团长", is_leader=True)],
        attachment_kinds={"invitation"},
    )
    findings = [finding for finding in rules.check(draft) if finding.code == "destinations"]
    assert [finding.severity for finding in findings] == ["error", "error"]
    with translation.override("en"):
        messages = [str(finding.message) for finding in findings]
    assert "因公赴港澳台" in messages[0] and "Hong Kong" in messages[0]
    assert messages[1].startswith("China itself is not a destination")


def test_a_saved_stop_in_a_region_of_china_stays_visible_and_cannot_be_submitted(
    client, applicant, organization
):
    """A draft saved before such stops were refused: the page keeps the stop and says why it must go."""
    application = ApplicationFactory(organization=organization, created_by=applicant)
    ItineraryLeg.objects.filter(application=application, position=1).update(country="MO")
    client.force_login(applicant)
    page = client.get(f"/applications/{application.pk}/edit/").content.decode()
    assert ("MO", "中国澳门") in options(page, "id_legs-1-country")
    assert re.search(r'<option value="MO" selected>', page)
    assert 'data-code="destinations"' in page


def test_country_names_on_the_pages_come_from_the_same_source():
    with translation.override("zh-hans"):
        assert country_names("SZ,MK") == "埃斯瓦蒂尼、北马其顿"
    with translation.override("en"):
        assert country_names("SZ,MK") == "Eswatini, North Macedonia"


def test_the_list_names_the_countries(client, applicant, organization):
    application = ApplicationFactory(organization=organization, created_by=applicant)
    ItineraryLeg.objects.filter(application=application).update(country="SZ")
    TravelApplication.objects.filter(pk=application.pk).update(countries="SZ")
    client.force_login(applicant)
    assert "埃斯瓦蒂尼" in client.get("/applications/").content.decode()
