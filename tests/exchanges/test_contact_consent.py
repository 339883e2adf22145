"""The overseas-Chinese contacts' registry records the person's consent: agreed, on which day and how (with
a note for consent given orally). Registering without it is refused beside the fields — on the back office's
page and in the API — and so is a change of the person's details; linking a contact to an exchange is not.
Contacts registered before it was asked show "consent not recorded" in the list, with a filter."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from exchanges.models import ConsentBasis, OverseasContact
from exchanges.services import contacts as services

from .factories import CONTACT, activity

pytestmark = pytest.mark.django_db

CONTACTS = reverse("admin:exchanges_overseascontact_changelist")
CONTACT_ADD = reverse("admin:exchanges_overseascontact_add")
API = "/api/v1/exchanges/contacts/"
CONSENTED = {**CONTACT, "consent_basis": ConsentBasis.WRITING, "consent_note": "Signed form in file 2026-03"}
NO_CONSENT = "Register or change a contact only with the person's consent."
NO_BASIS = "Say how the person gave their consent."
NOT_RECORDED = "Consent not recorded"


def url(person, name="change"):
    return reverse(f"admin:exchanges_overseascontact_{name}", args=[person.pk])


def registered(officer, **overrides) -> OverseasContact:
    return services.contact_create(actor=officer, data={**CONSENTED, **overrides})


def registered_before_consent_was_asked(officer, **overrides) -> OverseasContact:
    """A contact as the registry held it before the consent's basis was asked: none recorded."""
    person = registered(officer, **overrides)
    OverseasContact.objects.filter(pk=person.pk).update(
        consent=False, consent_on=None, consent_basis="", consent_note=""
    )
    person.refresh_from_db()
    return person


@pytest.fixture
def english(client):
    """`client` asking for English pages (the messages compared are the source strings)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(**changes) -> dict:
    data = {**CONSENTED, "consent": "on", "wechat": "", "notes": "", "activities": []}
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def api_errors(response) -> dict:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


# Registering ---------------------------------------------------------------------------------------------


def test_the_admin_page_refuses_a_contact_without_consent_beside_its_fields(english, officer):
    client = english
    client.force_login(officer)
    with translation.override("en"):
        page = client.post(CONTACT_ADD, form_data(consent=None, consent_on="", consent_basis=""))
        errors = page.context["form"].errors
        assert NO_CONSENT in errors["consent"][0]
        assert errors["consent_on"] == ["Give the date the person agreed to be contacted."]
        assert errors["consent_basis"] == [NO_BASIS]
        assert "erase the record on their request instead." in page.content.decode()
        assert page.context["form"]["name_latin"].value() == "Chen Lihua"  # what was typed stays
        # The form marks them required; the page shows the consent's fields.
        assert all(
            page.context["form"].fields[name].required for name in ("consent", "consent_on", "consent_basis")
        )
        assert 'name="consent_note"' in page.content.decode()
    assert not OverseasContact.objects.exists()


def test_the_admin_page_stores_the_consent_and_the_contact_page_shows_it(english, officer):
    client = english
    client.force_login(officer)
    assert client.post(CONTACT_ADD, form_data()).status_code == 302
    person = OverseasContact.objects.get()
    assert person.consent and str(person.consent_on) == "2026-03-01"
    assert person.consent_basis == "writing" and person.consent_note == "Signed form in file 2026-03"
    assert person.consent_recorded
    with translation.override("en"):
        html = client.get(url(person)).content.decode()
    assert "in writing (a signed form or letter)" in html and "Signed form in file 2026-03" in html
    assert NOT_RECORDED not in html


def test_the_service_refuses_missing_consent_and_oral_consent_without_its_note(officer):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.contact_create(
            actor=officer, data={**CONTACT, "consent": False, "consent_on": None, "consent_basis": ""}
        )
    assert {"consent", "consent_on", "consent_basis"} <= set(refused.value.message_dict)
    assert NO_CONSENT in refused.value.message_dict["consent"][0]
    with pytest.raises(ValidationError) as refused:
        registered(officer, consent_basis=ConsentBasis.ORAL, consent_note=" ")
    assert set(refused.value.message_dict) == {"consent_note"}
    oral = registered(officer, consent_basis=ConsentBasis.ORAL, consent_note="Heard by Officer Li on 1 March")
    assert oral.consent_recorded
    assert OverseasContact.objects.count() == 1


def test_the_api_refuses_a_contact_without_consent_and_stores_one_with_it(api_as, officer):
    office = api_as(officer)
    office.credentials(HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        refused = office.post(
            API, {**CONTACT, "consent": False, "consent_on": None, "consent_basis": ""}, format="json"
        )
        assert refused.status_code == 400
        errors = api_errors(refused)
        assert {"consent", "consent_on", "consent_basis"} <= set(errors)
        assert NO_CONSENT in errors["consent"] and errors["consent_basis"] == NO_BASIS
        unexplained = office.post(API, {**CONTACT, "consent_basis": ""}, format="json")
        assert unexplained.status_code == 400 and set(api_errors(unexplained)) == {"consent_basis"}
    assert not OverseasContact.objects.exists()
    created = office.post(API, CONSENTED, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["consent_basis"] == "writing" and body["consent_note"] == "Signed form in file 2026-03"
    assert body["consent_on"] == "2026-03-01" and body["consent_recorded"] is True
    assert OverseasContact.objects.get().consent_recorded


# Changing ------------------------------------------------------------------------------------------------


def test_a_change_of_details_needs_consent_but_linking_an_exchange_does_not(api_as, officer):
    person = registered_before_consent_was_asked(officer)
    visit = activity(officer)
    services.contact_update(contact=person, actor=officer, data={"activities": [visit.pk]})
    assert list(person.activities.all()) == [visit]
    with pytest.raises(ValidationError) as refused:
        services.contact_update(contact=person, actor=officer, data={"phone": "+39 02 9999 0000"})
    assert "consent_basis" in refused.value.message_dict
    office = api_as(officer)
    office.credentials(HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("en"):
        answer = office.patch(f"{API}{person.pk}/", {"phone": "+39 02 9999 0000"}, format="json")
    assert answer.status_code == 400 and api_errors(answer)["consent_basis"] == NO_BASIS
    person.refresh_from_db()
    assert person.phone == CONTACT["phone"]
    answer = office.patch(
        f"{API}{person.pk}/",
        {"phone": "+39 02 9999 0000", "consent": True, "consent_on": "2026-04-02", "consent_basis": "email"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    person.refresh_from_db()
    assert person.phone == "+39 02 9999 0000" and person.consent_recorded and person.consent_basis == "email"


def test_withdrawing_consent_is_refused_and_points_to_the_erasure(english, officer):
    client = english
    person = registered(officer)
    client.force_login(officer)
    with translation.override("en"):
        page = client.post(url(person, "edit"), form_data(consent=None, consent_on="", consent_basis=""))
        assert "erase the record on their request" in page.context["form"].errors["consent"][0]
    person.refresh_from_db()
    assert person.consent_recorded


def test_the_admin_edit_records_the_consent_of_an_older_contact(client, officer):
    person = registered_before_consent_was_asked(officer)
    client.force_login(officer)
    page = client.post(
        url(person, "edit"), form_data(role="名誉会长", consent=None, consent_on="", consent_basis="")
    )
    assert "consent_basis" in page.context["form"].errors
    page = client.post(url(person, "edit"), form_data(role="名誉会长", consent_basis="message"))
    assert page.status_code == 302
    person.refresh_from_db()
    assert person.role == "名誉会长" and person.consent_recorded and person.consent_basis == "message"


# The list --------------------------------------------------------------------------------------------------


def test_the_list_shows_consent_not_recorded_and_filters_on_it(english, api_as, officer):
    client = english
    recorded = registered(officer)
    older = registered_before_consent_was_asked(officer, name_zh="王芳", name_latin="Wang Fang", country="DE")
    dated_only = registered_before_consent_was_asked(
        officer, name_zh="李明", name_latin="Li Ming", country="FR"
    )
    OverseasContact.objects.filter(pk=dated_only.pk).update(consent=True, consent_on="2025-01-01")
    client.force_login(officer)
    with translation.override("en"):
        page = client.get(CONTACTS)
        html = page.content.decode()
    assert html.count('data-consent="no"') == 2 and html.count('data-consent="yes"') == 1
    assert NOT_RECORDED in html
    assert [row.pk for row in client.get(CONTACTS, {"consent": "yes"}).context["cl"].result_list] == [
        recorded.pk
    ]
    assert {row.pk for row in client.get(CONTACTS, {"consent": "no"}).context["cl"].result_list} == {
        older.pk,
        dated_only.pk,
    }
    with translation.override("en"):
        assert NOT_RECORDED in client.get(url(older)).content.decode()
    office = api_as(officer)
    listed = office.get(API, {"consent_recorded": "false"}).json()["results"]
    assert {row["id"] for row in listed} == {older.pk, dated_only.pk}
    assert all(row["consent_recorded"] is False for row in listed)
    assert [row["id"] for row in office.get(API, {"consent_recorded": "true"}).json()["results"]] == [
        recorded.pk
    ]


def test_the_export_carries_how_consent_was_given(officer):
    data = services.contact_export(contact=registered(officer), actor=officer)
    assert data["consent_basis"] == "writing" and data["consent_note"] == "Signed form in file 2026-03"
