"""A new traveller added in the application form or the API: the passport type is asked (no silent
default), the name in pinyin is suggested from the Chinese name (ZHANG SAN, family name first) and
stored, and the APEC decision letter prints it."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from approvals.models import TravelApplication
from foreign_affairs.accounts.models import Person
from tests.apec_cards.helpers import issued_card
from tests.approvals.test_api import URL, _body
from tests.approvals.test_views import existing, form_data, leg, new_person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(organization):
    return PersonFactory(organization=organization, full_name="张三", position="经理")


def trip(leader, newcomer: dict) -> dict:
    start = timezone.localdate() + timedelta(days=60)
    return form_data(
        legs=[leg("DE", "汉堡", start, start + timedelta(days=3))],
        members=[existing(leader, "团长", leader=True), newcomer],
    )


@pytest.mark.parametrize(
    ("name", "pinyin"),
    [
        ("王新", "WANG XIN"),
        ("张三丰", "ZHANG SANFENG"),
        ("欧阳明月", "OUYANG MINGYUE"),
        ("曾伟", "ZENG WEI"),
        ("单雄信", "SHAN XIONGXIN"),
        ("吕丽", "LYU LI"),
        ("买买提·艾力", "MAIMAITI AILI"),
        ("", ""),
    ],
)
def test_the_pinyin_name_is_suggested_as_passports_print_it(name, pinyin):
    from foreign_affairs.accounts.services import suggested_pinyin_name

    assert suggested_pinyin_name(name) == pinyin


def test_the_form_asks_for_the_passport_type_and_the_pinyin_name(client, applicant):
    client.force_login(applicant)
    page = client.get("/applications/new/").content.decode()
    assert 'name="members-0-passport_type"' in page and 'name="members-0-pinyin_name"' in page
    select = page.split('name="members-0-passport_type"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option") == 5  # "choose", then the four types
    assert '<option value="" selected>' in select  # nothing chosen for the user
    assert "data-pinyin-url=" in page and "data-pinyin-source" in page and "data-pinyin-target" in page


def test_a_new_traveller_needs_a_passport_type(client, applicant, leader):
    client.force_login(applicant)
    newcomer = {key: value for key, value in new_person().items() if key != "passport_type"}
    response = client.post("/applications/new/", trip(leader, newcomer))
    body = response.content.decode()
    assert response.status_code == 200 and not TravelApplication.objects.exists()
    assert 'href="#id_members-1-passport_type"' in body
    assert not Person.objects.filter(full_name="王新").exists()


def test_without_javascript_the_server_fills_the_pinyin_name_left_empty(client, applicant, leader):
    client.force_login(applicant)
    response = client.post("/applications/new/", trip(leader, {**new_person(), "passport_type": "service"}))
    assert response.status_code == 302
    person = Person.objects.get(full_name="王新")
    assert (person.passport_type, person.pinyin_name) == ("service", "WANG XIN")


def test_a_pinyin_name_typed_by_the_user_is_kept(client, applicant, leader):
    client.force_login(applicant)
    newcomer = {**new_person(), "passport_type": "ordinary", "pinyin_name": "wong  sun"}
    assert client.post("/applications/new/", trip(leader, newcomer)).status_code == 302
    person = Person.objects.get(full_name="王新")
    assert (person.passport_type, person.pinyin_name) == ("ordinary", "WONG SUN")


def test_a_page_shown_again_shows_the_suggestion_to_correct(client, applicant, leader):
    client.force_login(applicant)
    newcomer = {**new_person(), "passport_type": "", "full_name": "欧阳明月"}
    body = client.post("/applications/new/", trip(leader, newcomer)).content.decode()
    assert 'value="OUYANG MINGYUE"' in body and 'data-suggested="OUYANG MINGYUE"' in body


def test_a_pinyin_name_not_in_latin_letters_is_refused(client, applicant, leader):
    client.force_login(applicant)
    newcomer = {**new_person(), "passport_type": "ordinary", "pinyin_name": "王新"}
    body = client.post("/applications/new/", trip(leader, newcomer)).content.decode()
    assert 'href="#id_members-1-pinyin_name"' in body and not TravelApplication.objects.exists()


def test_the_suggestion_endpoint_answers_signed_in_users(client, applicant):
    assert client.get("/applications/pinyin/", {"name": "王新"}).status_code == 302  # to sign in
    client.force_login(applicant)
    response = client.get("/applications/pinyin/", {"name": "欧阳明月"})
    assert response.status_code == 200 and response.json() == {"pinyin_name": "OUYANG MINGYUE"}
    assert client.post("/applications/pinyin/", {"name": "王新"}).status_code == 405


def test_the_api_takes_the_passport_type_and_suggests_the_pinyin_name(api_as, applicant, organization):
    body = _body(PersonFactory.create_batch(2, organization=organization))
    body["members"][2]["passport_type"] = "diplomatic"
    response = api_as(applicant).post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get(full_name="周婷")
    assert (person.passport_type, person.pinyin_name) == ("diplomatic", "ZHOU TING")


def test_the_api_keeps_a_given_pinyin_name_and_refuses_a_wrong_one(api_as, applicant, organization):
    people = PersonFactory.create_batch(2, organization=organization)
    body = _body(people)
    body["members"][2]["pinyin_name"] = "chow ting"
    assert api_as(applicant).post(URL, body, format="json").status_code == 201
    assert Person.objects.get(full_name="周婷").pinyin_name == "CHOW TING"
    body = _body(people)
    body["members"][2].update(passport_number="E55555555", pinyin_name="周婷")
    response = api_as(applicant).post(URL, body, format="json")
    assert response.status_code == 400
    assert "members[2].pinyin_name" in {error.get("field") for error in response.json()["errors"]}


def test_the_people_form_suggests_the_pinyin_name_too(client, applicant):
    client.force_login(applicant)
    data = {
        "full_name": "孙强",
        "pinyin_name": "",
        "gender": "male",
        "birth_date": "1979-11-23",
        "position": "经理",
        "passport_type": "official_ordinary",
        "passport_number": "SE1234567",
        "passport_expiry": (timezone.localdate() + timedelta(days=900)).isoformat(),
        "phone": "",
        "email": "",
    }
    assert client.post("/people/new/", data).status_code == 302
    person = Person.objects.get(full_name="孙强")
    assert person.pinyin_name == "SUN QIANG"
    assert client.post(f"/people/{person.pk}/edit/", {**data, "full_name": "孙强"}).status_code == 302
    person.refresh_from_db()
    assert person.pinyin_name == "SUN QIANG"


def test_the_apec_letter_prints_the_latin_name_of_a_traveller_added_in_the_form(
    client, applicant, liaison, officer, leader, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    expiry = (timezone.localdate() + timedelta(days=365 * 8)).isoformat()
    newcomer = {**new_person(expiry=None), "passport_type": "ordinary", "passport_expiry": expiry}
    assert client.post("/applications/new/", trip(leader, newcomer)).status_code == 302
    person = Person.objects.get(full_name="王新")
    with django_capture_on_commit_callbacks(execute=True):
        card = issued_card(applicant=applicant, liaison=liaison, officer=officer, person=person)
    card.refresh_from_db()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(card.letter.open("rb").read())).pages)
    assert "王新" in text and "WANG XIN" in text
