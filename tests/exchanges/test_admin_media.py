"""The back office of foreign journalists' interview requests: the queue (open ones first, filters, search,
queries that do not grow with the rows), a request's page (the journalist's request read-only, the e-mails
written to the journalist, the timeline), the office's arrangements, arranging (refused without them, with
the condition's message) and declining, coverage, and what leaders, managers and enterprise users may not
do."""

import pytest
from django.urls import reverse

from exchanges.models import MediaMessage, MediaRequest
from exchanges.services import media as services
from exchanges.workflow import MediaState
from foreign_affairs.accounts.roles import Role
from tests.factories import office_user

from .factories import activity, media_request

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:exchanges_mediarequest_changelist")


def url(item, name="change"):
    return reverse(f"admin:exchanges_mediarequest_{name}", args=[item.pk])


def rows(page) -> list:
    assert page.status_code == 200, (page.status_code, page.get("Location"), page.content[:300])
    return list(page.context["cl"].result_list)


def last_message(page) -> tuple[str, str]:
    found = [(message.level_tag, str(message)) for message in page.context["messages"]]
    return found[-1]


def state_of(item) -> str:
    return MediaRequest.objects.values_list("state", flat=True).get(pk=item.pk)


def press(client, item, name, comment=""):
    return client.post(url(item, "transition"), {"transition": name, "comment": comment}, follow=True)


def arrangements(escort, **changes) -> dict:
    data = {
        "arrangements-arranged_interviewees": "郑州片区管委会副主任",
        "arrangements-arranged_sites": "郑州航空港经济综合实验区",
        "arrangements-arranged_on": "",
        "arrangements-escort": escort.pk if escort else "",
        "arrangements-activity": "",
        "arrangements-office_note": "",
    }
    data.update({f"arrangements-{key}": value for key, value in changes.items()})
    return data


def test_the_queue_opens_on_open_requests_with_filters_and_search(client, officer):
    first = media_request()
    second = media_request(outlet="Nikkei Asia", outlet_country="JP", journalist_name="Kenji Sato")
    declined = services.media_request_run(
        request=media_request(), actor=officer, name="decline", comment="Full."
    )
    services.media_request_update(request=second, actor=officer, data={"escort": officer.pk})
    client.force_login(officer)
    page = client.get(QUEUE)
    assert rows(page) == [second, first]  # open ones, the newest first
    html = page.content.decode()
    assert "Le Quotidien Économique" in html and "法国" in html and 'data-state="requested"' in html
    assert rows(client.get(QUEUE, {"state": "all"})) == [declined, second, first]
    assert rows(client.get(QUEUE, {"state": "declined"})) == [declined]
    assert rows(client.get(QUEUE, {"country": "JP"})) == [second]
    assert rows(client.get(QUEUE, {"escort": "me"})) == [second]
    assert rows(client.get(QUEUE, {"escort": "nobody"})) == [first]
    assert rows(client.get(QUEUE, {"q": "nikkei"})) == [second]
    assert rows(client.get(QUEUE, {"q": "Sato"})) == [second]
    assert rows(client.get(QUEUE, {"q": declined.reference})) == [declined]  # a search looks everywhere


def test_the_queue_takes_the_same_queries_for_many_rows(client, officer, django_assert_max_num_queries):
    escort = office_user(Role.OFFICER)
    for _n in range(2):
        services.media_request_update(request=media_request(), actor=officer, data={"escort": escort.pk})
    client.force_login(officer)
    with django_assert_max_num_queries(30) as few:
        assert len(rows(client.get(QUEUE))) == 2
    for n in range(15):
        services.media_request_update(
            request=media_request(),
            actor=officer,
            data={"escort": office_user(Role.OFFICER).pk if n % 2 else None},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(client.get(QUEUE))) == 17


def test_the_page_shows_the_request_read_only_the_emails_and_the_timeline(client, officer, manager):
    item = media_request()
    client.force_login(officer)
    page = client.get(url(item))
    assert page.status_code == 200
    html = page.content.decode()
    assert "How the Henan Free Trade Zone links Zhengzhou" in html and "FR-2026-11873" in html
    mails = page.context["mails"]
    assert len(mails) == 1 and mails[0].to == "claire.martin@example.fr"  # "received"
    assert 'data-sent="' in html
    assert [event.action for event in page.context["events"]] == ["media_request.submit"]
    form = page.context["arrangements_form"]
    # The journalist's own fields are not in the office's form.
    assert "topic" not in form.fields and "email" not in form.fields and "escort" in form.fields
    assert sorted(page.context["group"]["buttons"][i]["name"] for i in range(2)) == ["arrange", "decline"]
    assert page.context["group"]["notes"]  # arranging needs the arrangements: said before pressing
    client.force_login(manager)
    page = client.get(url(item))
    assert page.context["arrangements_form"] is None and page.context["group"]["buttons"] == []
    response = client.post(url(item), arrangements(officer))
    assert response.status_code == 403 and MediaRequest.objects.get(pk=item.pk).escort is None


def test_arranging_needs_the_arrangements_and_then_the_journalist_is_written_to(client, officer, leader):
    item = media_request()
    visit = activity(officer)
    client.force_login(officer)
    page = press(client, item, "arrange")
    assert state_of(item) == MediaState.REQUESTED and last_message(page)[0] == "error"
    assert "escort" in last_message(page)[1] or "陪同" in last_message(page)[1]
    response = client.post(
        url(item), arrangements(officer, arranged_on=item.wished_from.isoformat(), activity=visit.pk)
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.escort == officer and item.activity == visit and item.arranged_on == item.wished_from
    page = client.get(url(item))
    assert not page.context["group"]["notes"] and page.context["activity_url"]
    client.force_login(leader)
    page = press(client, item, "arrange")  # officers arrange
    assert state_of(item) == MediaState.REQUESTED and last_message(page)[0] == "error"
    client.force_login(officer)
    page = press(client, item, "arrange")
    assert state_of(item) == MediaState.ARRANGED and last_message(page)[0] == "success"
    assert MediaMessage.objects.filter(request=item).count() == 2  # received, arranged


def test_the_arrangements_keep_what_was_typed_and_refuse_an_escort_outside_the_office(
    client, officer, applicant
):
    item = media_request()
    client.force_login(officer)
    page = client.post(url(item), arrangements(applicant, arranged_sites="港区物流园"))
    assert page.status_code == 200
    assert "escort" in page.context["arrangements_form"].errors
    assert "港区物流园" in page.content.decode()
    assert MediaRequest.objects.get(pk=item.pk).arranged_sites == ""
    page = client.post(url(item), arrangements(officer, arranged_on="not a date"))
    assert page.status_code == 200 and "arranged_on" in page.context["arrangements_form"].errors


def test_declining_needs_a_reason_and_closes_the_page_to_changes(client, officer):
    item = media_request()
    client.force_login(officer)
    page = client.get(url(item))
    decline = next(b for b in page.context["group"]["buttons"] if b["name"] == "decline")
    assert decline["destructive"] and decline["confirm"]
    page = press(client, item, "decline")
    assert state_of(item) == MediaState.REQUESTED and last_message(page)[0] == "error"
    page = press(client, item, "decline", comment="No interviews during the congress.")
    assert state_of(item) == MediaState.DECLINED
    assert page.context["arrangements_form"] is None and page.context["group"]["buttons"] == []
    assert MediaMessage.objects.filter(request=item).count() == 2  # received, declined
    assert page.context["events"][-1].comment == "No interviews during the congress."


def test_coverage_is_recorded_and_the_interview_held_and_closed(client, officer):
    item = media_request()
    services.media_request_update(
        request=item, actor=officer, data={"arranged_interviewees": "主任", "escort": officer.pk}
    )
    client.force_login(officer)
    press(client, item, "arrange")
    press(client, item, "hold")
    page = client.post(
        url(item, "coverage"),
        {
            "coverage-url": "https://www.example.fr/henan-ftz",
            "coverage-outlet": "Le Quotidien Économique",
            "coverage-title": "Zhengzhou, porte de l'Europe",
        },
        follow=True,
    )
    assert last_message(page)[0] == "success" and item.coverage.count() == 1
    assert "Zhengzhou, porte de l&#x27;Europe" in page.content.decode()
    page = client.post(url(item, "coverage"), {"coverage-url": "javascript:alert(1)"}, follow=True)
    assert last_message(page)[0] == "error" and item.coverage.count() == 1
    press(client, item, "close")
    assert state_of(item) == MediaState.CLOSED


def test_enterprise_users_and_strangers_have_no_back_office(client, applicant):
    item = media_request()
    for target in (QUEUE, url(item)):
        assert client.get(target).status_code == 302
    client.force_login(applicant)
    for target in (QUEUE, url(item)):
        response = client.get(target)
        assert response.status_code == 302 and "login" in response["Location"]
    client.post(url(item, "transition"), {"transition": "decline", "comment": "x"})
    assert state_of(item) == MediaState.REQUESTED


def test_the_activity_of_an_interview_is_found_by_its_words(client, officer):
    visit = activity(officer)
    client.force_login(officer)
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "exchanges",
            "model_name": "mediarequest",
            "field_name": "activity",
            "term": "Bavarian",
        },
    ).json()
    assert [row["id"] for row in found["results"]] == [str(visit.pk)]
