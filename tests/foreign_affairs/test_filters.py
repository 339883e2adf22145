"""One filter definition per list (foreign_affairs.filters): the page, the API and the back office's search
box find the same rows for the same words."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from approvals.filters import ApplicationFilter
from approvals.models import TravelApplication
from approvals.selectors import application_list_for
from tests.apec_cards.helpers import card_person, draft, issued_card
from tests.approvals.factories import ApplicationFactory
from tests.factories import OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _page_rows(client, url, params, marker) -> set[str]:
    """The references (or numbers) a list page shows: each row links `marker<pk>/`."""
    body = client.get(url, params).content.decode()
    return {
        part.split("/", 1)[0] for part in body.split(f'href="{marker}')[1:] if part.split("/", 1)[0].isdigit()
    }


def _admin_rows(client, url, term) -> set[str]:
    return {str(row.pk) for row in client.get(url, {"q": term}).context["cl"].result_list}


def _api_rows(api, url, params) -> set[str]:
    response = api.get(url, params)
    assert response.status_code == 200, response.json()
    return {str(row["id"]) for row in response.json()["results"]}


@pytest.fixture
def trips(organization):
    """Applications to tell apart by title, member, passport, organisation and state."""
    japan = ApplicationFactory(organization=organization, title="赴日本参加展会", submitted=True)
    germany = ApplicationFactory(organization=organization, title="赴德国洽谈物流")
    member = germany.members.select_related("person").first().person
    member.full_name = "欧阳明"
    member.save()
    kaifeng = ApplicationFactory(
        organization=OrganizationFactory(name_zh="开封文旅集团", name_en="Kaifeng Culture")
    )
    return {"japan": japan, "germany": germany, "member": member, "kaifeng": kaifeng}


@pytest.mark.parametrize(
    "term, expected",
    [
        ("日本", {"japan"}),
        ("japan-reference", {"japan"}),
        ("member-name", {"germany"}),
        ("member-passport", {"germany"}),
        ("开封文旅", {"kaifeng"}),
        ("没有这个", set()),
    ],
)
def test_travel_applications_are_searched_alike_on_the_page_in_the_api_and_in_the_back_office(
    client, api_as, officer, trips, term, expected
):
    term = {
        "japan-reference": trips["japan"].reference.lower(),
        "member-name": trips["member"].full_name,
        "member-passport": trips["member"].passport_number.lower(),
    }.get(term, term)
    wanted = {str(trips[name].pk) for name in expected}
    client.force_login(officer)
    assert _page_rows(client, "/applications/", {"search": term}, "/applications/") == wanted
    assert _api_rows(api_as(officer), "/api/v1/travel-applications/", {"search": term}) == wanted
    assert (
        _admin_rows(client, reverse("admin:approvals_travelapplication_changelist") + "?state=all", term)
        == wanted
    )


def test_filters_mean_the_same_on_the_page_and_in_the_api(client, api_as, officer, trips):
    client.force_login(officer)
    for params in ({"state": "submitted"}, {"country": "fr"}, {"state": "draft", "search": "德国"}):
        page = _page_rows(client, "/applications/", params, "/applications/")
        assert page == _api_rows(api_as(officer), "/api/v1/travel-applications/", params), params
        assert page


def test_a_bad_value_is_ignored_on_a_page_and_refused_by_the_api(client, api_as, officer, trips):
    client.force_login(officer)
    assert client.get("/applications/", {"state": "nonsense", "ordering": "-nothing"}).status_code == 200
    response = api_as(officer).get("/api/v1/travel-applications/", {"state": "nonsense"})
    assert response.status_code == 400 and "state" in response.json()["errors"][0]["field"]


def test_ordering_puts_empty_values_last_both_ways_and_breaks_ties_by_id(organization):
    undated = ApplicationFactory(organization=organization, trip=False)
    soon = ApplicationFactory(organization=organization, trip__departure=date.today() + timedelta(days=40))
    later = ApplicationFactory(organization=organization, trip__departure=date.today() + timedelta(days=90))
    twin = ApplicationFactory(organization=organization, trip__departure=date.today() + timedelta(days=90))
    queryset = TravelApplication.objects.all()

    def ordered(value):
        return list(ApplicationFilter({"ordering": value}, queryset=queryset).qs.values_list("pk", flat=True))

    assert ordered("departure_date") == [soon.pk, later.pk, twin.pk, undated.pk]
    assert ordered("-departure_date") == [twin.pk, later.pk, soon.pk, undated.pk]


def test_a_list_knows_whether_it_was_narrowed_and_counts_its_states(applicant, trips):
    queryset = application_list_for(applicant)
    assert not ApplicationFilter(None, queryset=queryset).filtered
    assert not ApplicationFilter({"ordering": "reference"}, queryset=queryset).filtered
    assert ApplicationFilter({"search": "日本"}, queryset=queryset).filtered
    filters = ApplicationFilter(None, queryset=queryset)
    filters.count_states({"submitted": 1, "draft": 1})
    labels = dict(filters.form.fields["state"].choices)
    assert labels["submitted"].endswith(("(1)", "（1）")) and not labels["in_review"].endswith((")", "）"))


def test_card_applications_and_cards_are_searched_alike_at_every_door(
    client, api_as, applicant, liaison, officer, organization
):
    holder = card_person(organization, full_name="欧阳明", pinyin_name="OUYANG MING")
    application = draft(applicant, holder)
    other = draft(applicant, card_person(organization, full_name="李四", pinyin_name="LI SI"))
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    client.force_login(officer)
    for term, wanted in (
        ("ouyang", {str(application.pk)}),
        (holder.passport_number.lower(), {str(application.pk)}),
        (other.reference.lower(), {str(other.pk)}),
    ):
        admin = reverse("admin:apec_cards_cardapplication_changelist") + "?state=all"
        assert _api_rows(api_as(officer), "/api/v1/apec-cards/applications/", {"search": term}) == wanted
        assert _admin_rows(client, admin, term) == wanted
        assert _page_rows(client, "/apec/applications/", {"search": term}, "/apec/applications/") == wanted
    holder_name = card.holder.full_name
    assert _api_rows(api_as(officer), "/api/v1/apec-cards/cards/", {"search": holder_name}) == {str(card.pk)}
    assert _admin_rows(client, reverse("admin:apec_cards_card_changelist"), holder_name) == {str(card.pk)}
    assert _page_rows(client, "/apec/cards/", {"search": holder_name}, "/apec/cards/") == {str(card.pk)}


def test_travellers_are_searched_and_filtered_alike_on_the_page_and_in_the_api(
    client, api_as, applicant, organization
):
    expired = PersonFactory(
        organization=organization, full_name="孙强", passport_expiry=date.today() - timedelta(1)
    )
    PersonFactory(organization=organization, full_name="周敏")
    client.force_login(applicant)
    for params in ({"search": "孙"}, {"passport": "expired"}, {"search": expired.passport_number.lower()}):
        assert _page_rows(client, "/people/", params, "/people/") == {str(expired.pk)}
        assert _api_rows(api_as(applicant), "/api/v1/people/", params) == {str(expired.pk)}
