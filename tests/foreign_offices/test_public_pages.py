"""The public pages of foreign organisations, without an account: the "Set up in Zhengzhou" guide, the
enquiry form (rate limit, honeypot, bad input) and the directory of the organisations that consented."""

import itertools
from datetime import date
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from foreign_affairs.accounts.models import FTZArea
from foreign_offices.models import CaseMessage, ForeignOrganisation, SetupCase
from foreign_offices.services import registry
from foreign_offices.workflow import CaseState, EnquirySource, PresenceKind

from .factories import ENQUIRY, opened_case, registration_number

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
_numbers = itertools.count(7000)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def visitor(language: str = "en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def enquiry_data(**overrides) -> dict:
    return {**ENQUIRY, "website": "", **overrides}


def listed(**overrides) -> ForeignOrganisation:
    """A registry entry made directly (the directory reads the registry; how it got there does not matter)."""
    values = {
        "name": "Rheinland Chamber of Commerce",
        "name_zh": "莱茵兰商会",
        "kind": PresenceKind.CHAMBER_OFFICE,
        "country": "DE",
        "address": "郑州市郑东新区商务外环路 8 号",
        "ftz_area": FTZArea.ZHENGZHOU,
        "authority": "civil_affairs",
        "registration_number": registration_number(200000 + next(_numbers)),
        "registered_on": date(2025, 5, 6),
        "opened_on": date(2025, 6, 1),
        "list_publicly": True,
        **overrides,
    }
    return ForeignOrganisation.objects.create(**values)


# The guide --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_guide_shows_every_kind_area_and_step_in_both_languages(language):
    response = visitor(language).get(reverse("foreign_offices:guide"))
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override(language):
        for kind in PresenceKind:
            assert f'data-kind="{kind.value}"' in content
            assert str(kind.label) in content
        for area in FTZArea:
            assert f'data-area="{area.value}"' in content
            assert str(area.label) in content
        for state in (CaseState.ENQUIRY, CaseState.SUBMITTED_TO_AUTHORITY, CaseState.OPENED):
            assert f'data-state="{state.value}"' in content
    assert f'lang="{"zh-Hans" if language == "zh-hans" else "en"}"' in content
    assert reverse("foreign_offices:enquiry") in content
    assert 'data-testid="office-contact"' in content


def test_the_guide_reads_in_english_for_foreigners():
    content = visitor("en").get(reverse("foreign_offices:guide")).content.decode()
    assert "Set up in Zhengzhou" in content
    assert "Administration for Market Regulation" in content  # who registers a company's office
    assert "Bank reference letter" in content
    assert "notarised" in content and "apostilled" in content


def test_the_anonymous_menu_leads_to_the_guide():
    content = visitor("en").get(reverse("home")).content.decode()
    assert f'href="{reverse("foreign_offices:guide")}"' in content


# The enquiry ------------------------------------------------------------------------------------------


def test_an_enquiry_opens_a_case_and_the_thank_you_page_gives_its_reference(
    officer, django_capture_on_commit_callbacks
):
    client = visitor("en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("foreign_offices:enquiry"), enquiry_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("foreign_offices:enquiry_sent")
    case = SetupCase.objects.get()
    assert case.state == CaseState.ENQUIRY and case.source == EnquirySource.PUBLIC_FORM
    assert case.language == "en" and case.assigned_officer == officer
    assert case.organisation_name == ENQUIRY["organisation_name"] and case.country.code == "DE"
    assert [m.to for m in mail.outbox if m.to == [ENQUIRY["contact_email"]]]

    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert case.reference in content and ENQUIRY["contact_email"] in content
    # The reference travels in the session, never in an address that could be probed.
    assert case.reference not in response["Location"]


def test_an_enquiry_in_chinese_is_answered_in_chinese(officer):
    visitor("zh-hans").post(reverse("foreign_offices:enquiry"), enquiry_data())
    assert SetupCase.objects.get().language == "zh-hans"


def test_the_thank_you_page_without_an_enquiry_leads_to_the_form():
    response = visitor().get(reverse("foreign_offices:enquiry_sent"))
    assert response.status_code == 302 and response["Location"] == reverse("foreign_offices:enquiry")


def test_an_enquiry_without_contact_shows_the_errors_and_stores_nothing(officer):
    response = visitor().post(
        reverse("foreign_offices:enquiry"), enquiry_data(contact_name="", contact_email="")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"contact_name", "contact_email"} <= set(form.errors)
    content = response.content.decode()
    assert 'id="error-summary"' in content and "#id_enquiry_contact_email" in content
    assert ENQUIRY["organisation_name"] in content  # what was typed is kept
    assert not SetupCase.objects.exists() and not CaseMessage.objects.exists()


def test_china_is_not_a_country_to_come_from(officer):
    response = visitor().post(reverse("foreign_offices:enquiry"), enquiry_data(country="CN"))
    assert response.status_code == 400 and "country" in response.context["form"].errors
    assert not SetupCase.objects.exists()


def test_the_form_offers_no_china_but_the_regions_of_china(officer):
    content = visitor().get(reverse("foreign_offices:enquiry")).content.decode()
    assert 'value="CN"' not in content
    assert 'value="HK"' in content and 'value="DE"' in content


def test_a_service_refusal_shows_beside_its_field(officer, monkeypatch):
    from django.core.exceptions import ValidationError

    from foreign_offices.services import cases

    def refuse(**kwargs):
        raise ValidationError({"message": ["Refused by the service."], "other": ["At the top."]})

    monkeypatch.setattr(cases, "enquiry_create", refuse)
    response = visitor().post(reverse("foreign_offices:enquiry"), enquiry_data())
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["message"] == ["Refused by the service."]
    assert form.non_field_errors() == ["At the top."]


def test_a_script_typed_in_the_form_is_shown_escaped(officer):
    client = visitor()
    email = f'"{SCRIPT}"@example.com'
    refused = client.post(
        reverse("foreign_offices:enquiry"),
        enquiry_data(organisation_name=SCRIPT, message=SCRIPT, contact_name=""),
    )
    assert refused.status_code == 400
    assert SCRIPT not in refused.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in refused.content.decode()

    sent = client.post(
        reverse("foreign_offices:enquiry"),
        enquiry_data(organisation_name=SCRIPT, message=SCRIPT, contact_email=email),
        follow=True,
    )
    assert sent.status_code == 200 and SetupCase.objects.get().organisation_name == SCRIPT
    content = sent.content.decode()
    assert SCRIPT not in content and "&lt;script&gt;" in content


def test_a_filled_honeypot_is_thanked_but_nothing_is_stored(officer, django_capture_on_commit_callbacks):
    client = visitor()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("foreign_offices:enquiry"), enquiry_data(website="http://spam.example")
        )
    assert response.status_code == 302 and response["Location"] == reverse("foreign_offices:enquiry_sent")
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["reference"] == ""
    assert 'data-testid="enquiry-reference"' not in page.content.decode()
    assert not SetupCase.objects.exists() and not CaseMessage.objects.exists() and mail.outbox == []


def test_the_honeypot_is_hidden_from_people():
    content = visitor().get(reverse("foreign_offices:enquiry")).content.decode()
    assert '<div class="honeypot" aria-hidden="true">' in content
    assert 'name="website"' in content and 'tabindex="-1"' in content


def test_the_enquiry_after_the_limit_is_refused_with_429_and_not_stored(officer, settings):
    settings.FOREIGN_OFFICES_ENQUIRIES_PER_HOUR = 3
    client = visitor()
    for _ in range(3):
        assert client.post(reverse("foreign_offices:enquiry"), enquiry_data()).status_code == 302
    response = client.post(reverse("foreign_offices:enquiry"), enquiry_data(organisation_name="Fourth GmbH"))
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    content = response.content.decode()
    assert 'data-testid="enquiry-throttled"' in content and "Fourth GmbH" in content  # kept as typed
    assert SetupCase.objects.count() == 3
    assert not SetupCase.objects.filter(organisation_name="Fourth GmbH").exists()
    # Another address is not held back by this one.
    other = client.post(reverse("foreign_offices:enquiry"), enquiry_data(), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302 and SetupCase.objects.count() == 4


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_five_megabyte_message_gets_a_clear_answer_and_nothing_is_stored(officer, encoding):
    # As a browser sends it: with the CSRF check on, which would otherwise read the body first.
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = enquiry_data(message="x" * (5 * 1024 * 1024))
    url = reverse("foreign_offices:enquiry")
    if encoding == "multipart":
        response = client.post(url, data)
    else:
        response = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    content = response.content.decode()
    assert 'data-testid="enquiry-too-big"' in content and "5000" in content
    assert "too long" in content
    assert not SetupCase.objects.exists()


def test_a_message_over_5000_characters_is_a_form_error(officer):
    response = visitor().post(reverse("foreign_offices:enquiry"), enquiry_data(message="x" * 5001))
    assert response.status_code == 400
    assert "message" in response.context["form"].errors
    assert "5000" in response.content.decode()
    assert not SetupCase.objects.exists()


def test_the_enquiry_still_needs_its_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("foreign_offices:enquiry"), enquiry_data()).status_code == 403
    assert not SetupCase.objects.exists()
    page = client.get(reverse("foreign_offices:enquiry"))
    token = page.context["csrf_token"]
    response = client.post(
        reverse("foreign_offices:enquiry"), {**enquiry_data(), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and SetupCase.objects.count() == 1


def test_the_form_says_how_the_details_are_used():
    content = visitor().get(reverse("foreign_offices:enquiry")).content.decode()
    assert 'data-testid="privacy-notice"' in content
    assert "Who sees it" in content and "years after the case closes" in content


# The directory ----------------------------------------------------------------------------------------


def test_the_directory_lists_only_consenting_organisations_that_are_not_closed():
    shown = listed(name="Shown GmbH")
    listed(name="Private GmbH", list_publicly=False)
    listed(name="Closed GmbH", state="closed", closed_on=date(2026, 1, 5))
    response = visitor().get(reverse("foreign_offices:directory"))
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"].object_list] == [shown.pk]
    content = response.content.decode()
    assert "Shown GmbH" in content and "Private GmbH" not in content and "Closed GmbH" not in content
    assert 'data-testid="result-count"' in content and "1 organisation" in content


def test_an_organisation_opened_through_a_case_appears_once_it_consents(officer):
    organisation = opened_case(officer).organisation
    assert organisation not in visitor().get(reverse("foreign_offices:directory")).context["page"].object_list
    registry.organisation_update(organisation=organisation, actor=officer, data={"list_publicly": True})
    rows = visitor().get(reverse("foreign_offices:directory")).context["page"].object_list
    assert [row.pk for row in rows] == [organisation.pk]


def test_the_directory_page_of_an_organisation_shows_no_personal_data(officer):
    case = opened_case(officer)
    organisation = case.organisation
    registry.organisation_update(
        organisation=organisation,
        actor=officer,
        data={
            "list_publicly": True,
            "website": "https://bm.example.de",
            "description": "Sales and service of machinery in central China.",
            "description_zh": "在华中地区销售和维修机械。",
        },
    )
    response = visitor("en").get(reverse("foreign_offices:directory_detail", args=[organisation.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert organisation.name in content and organisation.name_zh in content
    assert "Sales and service of machinery" in content and "在华中地区" not in content
    assert "https://bm.example.de" in content and 'data-testid="office-contact"' in content
    for personal in (case.contact_name, case.contact_email, case.contact_phone):
        assert personal not in content
    chinese = visitor("zh-hans").get(reverse("foreign_offices:directory_detail", args=[organisation.pk]))
    assert "在华中地区销售和维修机械。" in chinese.content.decode()


@pytest.mark.parametrize(
    "overrides", [{"list_publicly": False}, {"state": "closed", "closed_on": date(2026, 1, 5)}]
)
def test_the_page_of_an_unlisted_or_closed_organisation_is_404(overrides):
    organisation = listed(**overrides)
    assert (
        visitor().get(reverse("foreign_offices:directory_detail", args=[organisation.pk])).status_code == 404
    )
    assert visitor().get(reverse("foreign_offices:directory_detail", args=[999999])).status_code == 404


def test_the_directory_searches_and_filters():
    german = listed(
        name="Bayern Trade Office", name_zh="巴伐利亚贸易代表处", kind=PresenceKind.GOVERNMENT_OFFICE
    )
    french = listed(
        name="Lyon Industries",
        name_zh="里昂工业",
        country="FR",
        kind=PresenceKind.COMPANY_OFFICE,
        ftz_area="luoyang",
    )
    korean = listed(name="Busan Port Authority", name_zh="釜山港务局", country="KR", ftz_area="kaifeng")

    def rows(**query):
        response = visitor().get(reverse("foreign_offices:directory"), query)
        assert response.status_code == 200
        return {row.pk for row in response.context["page"].object_list}

    assert rows() == {german.pk, french.pk, korean.pk}
    assert rows(q="lyon") == {french.pk}
    assert rows(q="釜山") == {korean.pk}
    assert rows(country="DE") == {german.pk}
    assert rows(kind=PresenceKind.COMPANY_OFFICE) == {french.pk}
    assert rows(area="kaifeng") == {korean.pk}
    assert rows(country="FR", area="kaifeng") == set()
    assert rows(country="ZZ") == {german.pk, french.pk, korean.pk}  # an unknown value narrows nothing
    empty = visitor("en").get(reverse("foreign_offices:directory"), {"q": "nothing like it"})
    assert (
        'data-testid="empty-state"' in empty.content.decode()
        and "Show all organisations" in empty.content.decode()
    )


def test_the_country_filter_offers_the_listed_countries_only():
    listed(country="JP")
    listed(country="FR", list_publicly=False)
    choices = dict(
        visitor("en").get(reverse("foreign_offices:directory")).context["filters"].fields["country"].choices
    )
    assert "JP" in choices and "FR" not in choices and choices["JP"] == "Japan"


def test_the_directory_pages_by_twenty():
    for n in range(23):
        listed(name=f"Organisation {n:02d}", name_zh=f"机构{n:02d}")
    first = visitor().get(reverse("foreign_offices:directory"))
    assert len(first.context["page"].object_list) == 20 and first.context["page"].paginator.count == 23
    second = visitor().get(reverse("foreign_offices:directory"), {"page": 2})
    assert len(second.context["page"].object_list) == 3


def test_a_script_in_a_registry_entry_is_shown_escaped():
    organisation = listed(name=SCRIPT, name_zh=SCRIPT, description=SCRIPT, address=SCRIPT)
    for url in (
        reverse("foreign_offices:directory"),
        reverse("foreign_offices:directory_detail", args=[organisation.pk]),
    ):
        content = visitor("en").get(url).content.decode()
        assert SCRIPT not in content and "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_directory_queries_do_not_grow_with_its_rows(django_assert_max_num_queries):
    for n in range(3):
        listed(name=f"Few {n}", country=["DE", "FR", "JP"][n])
    client = visitor()
    client.get(reverse("foreign_offices:directory"))  # warm caches (country names, content types)
    with django_assert_max_num_queries(3) as few:  # the countries, the count, the page
        client.get(reverse("foreign_offices:directory"))
    for n in range(20):
        listed(name=f"Many {n}", country=["DE", "FR", "JP", "KR"][n % 4], kind=list(PresenceKind)[n % 5])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("foreign_offices:directory"))
