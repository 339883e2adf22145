"""The public notice pages (/notices/): open notices for everyone, each notice's published content
without personal data beyond names and positions, objections (rate-limited), closed notices gone."""

from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from approvals import services
from approvals.models import Disclosure, Objection
from tests.approvals.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def notice(organization, officer, settings, django_capture_on_commit_callbacks):
    """The open public notice of a trip the officer approved (5 working days)."""
    settings.DISCLOSURE_WORKING_DAYS = 5
    application = ApplicationFactory(organization=organization, in_review=True, budget_currency="EUR")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    return Disclosure.objects.get(application=application, kind="trip")


def objection_url(notice) -> str:
    return f"/notices/{notice.pk}/objection/"


def test_anyone_sees_the_open_notices_with_what_was_published(english, notice):
    application = notice.application
    body = english.get("/notices/").content.decode()
    assert 'data-testid="notice-list"' in body
    assert application.reference in body and application.title in body
    assert "郑州测试贸易有限公司" in body and "Zhengzhou Test Trading Co., Ltd." in body
    assert "Germany" in body and "France" in body
    assert "3 members" in body
    assert f'href="/notices/{notice.pk}/"' in body
    for member in application.members.select_related("person"):
        assert member.person.passport_number not in body


def test_the_list_searches_by_organisation_or_reference_and_filters_by_kind(english, notice, organization):
    other = ApplicationFactory(approved=True)
    other_notice = services.disclosure_open(other, kind="trip")
    for query in ("郑州测试", "zhengzhou test", notice.content["reference"]):
        body = english.get("/notices/", {"q": query}).content.decode()
        assert notice.content["reference"] in body and other_notice.content["reference"] not in body, query
    nothing = english.get("/notices/", {"q": "no such organisation"}).content.decode()
    assert 'data-testid="empty-state"' in nothing and "No open notice matches your search" in nothing
    reports = english.get("/notices/", {"kind": "report"}).content.decode()
    assert notice.content["reference"] not in reports and 'data-testid="empty-state"' in reports
    trips = english.get("/notices/", {"kind": "trip"}).content.decode()
    assert notice.content["reference"] in trips and other_notice.content["reference"] in trips


def test_the_list_shows_open_notices_only_newest_first_twenty_a_page(english, db):
    notices = [services.disclosure_open(ApplicationFactory(approved=True), kind="trip") for _ in range(23)]
    Disclosure.objects.filter(pk=notices[0].pk).update(outcome="completed")
    Disclosure.objects.filter(pk=notices[1].pk).update(outcome="withdrawn")
    first = english.get("/notices/").content.decode()
    assert "21 open notices" in first and first.count('data-testid="notice-link"') == 20
    assert notices[0].content["reference"] not in first and notices[1].content["reference"] not in first
    assert first.index(notices[22].content["reference"]) < first.index(notices[3].content["reference"])
    second = english.get("/notices/", {"page": 2}).content.decode()
    assert second.count('data-testid="notice-link"') == 1 and notices[2].content["reference"] in second


def test_a_notice_shows_the_whole_published_content_without_passport_numbers(english, notice):
    application = notice.application
    response = english.get(f"/notices/{notice.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    for member in application.members.select_related("person"):
        assert member.person.full_name in body and member.person.passport_number not in body
    assert "团长" in body and "经理" in body  # positions on the trip and in the organisation
    assert application.purpose in body and "120,000.00 EUR" in body
    assert "Germany" in body and "France" in body
    assert 'data-testid="objection-form"' in body and f'action="/notices/{notice.pk}/objection/"' in body
    assert notice.ends_on.strftime("%Y") in body and "used only to follow up" in body


def test_an_objection_is_filed_and_the_visitor_is_told(english, notice):
    response = english.post(
        objection_url(notice),
        {"text": "该团组成员与另一团组时间重叠。", "name": "王先生", "contact": "wang@example.com"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/notices/{notice.pk}/", 302)]
    assert "Your objection was received" in response.content.decode()
    objection = Objection.objects.get()
    assert (objection.disclosure, objection.text, objection.name, objection.contact) == (
        notice,
        "该团组成员与另一团组时间重叠。",
        "王先生",
        "wang@example.com",
    )
    notice.application.refresh_from_db()
    assert notice.application.pending_objections == 1
    # What the visitor wrote is for the office only.
    assert "wang@example.com" not in english.get(f"/notices/{notice.pk}/").content.decode()


def test_an_objection_needs_its_text_and_keeps_what_was_typed(english, notice):
    response = english.post(objection_url(notice), {"text": "  ", "name": "王先生"})
    body = response.content.decode()
    assert response.status_code == 400 and 'data-testid="objection-errors"' in body
    assert 'value="王先生"' in body and 'aria-invalid="true"' in body
    too_long = english.post(objection_url(notice), {"text": "异" * 2001})
    assert too_long.status_code == 400 and "异" * 2001 in too_long.content.decode()
    assert not Objection.objects.exists()
    assert english.get(objection_url(notice)).status_code == 405


def test_objections_are_limited_to_five_an_hour_from_one_connection(english, notice):
    for number in range(5):
        assert english.post(objection_url(notice), {"text": f"异议 {number}"}).status_code == 302
    refused = english.post(objection_url(notice), {"text": "第六条异议"})
    body = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"
    assert 'data-testid="objection-throttled"' in body and "Too many objections" in body
    assert "第六条异议" in body  # kept, to be sent later
    assert Objection.objects.count() == 5
    other_client = english.__class__(REMOTE_ADDR="10.1.2.3")
    assert other_client.post(objection_url(notice), {"text": "另一位访客"}).status_code == 302


def test_closed_notices_are_gone_but_a_completed_report_stays_readable(
    english, notice, organization, applicant, officer, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.close_ended_disclosures(today=notice.ends_on + timedelta(days=1))
    notice.refresh_from_db()
    assert notice.outcome == "completed"
    assert english.get(f"/notices/{notice.pk}/").status_code == 404
    assert english.post(objection_url(notice), {"text": "太迟了"}).status_code == 404
    assert notice.content["reference"] not in english.get("/notices/").content.decode()
    assert english.get("/notices/999999/").status_code == 404

    ended = ApplicationFactory(
        organization=organization, permit_issued=True, trip__departure=date.today() - timedelta(days=20)
    )
    services.application_transition(
        application=ended,
        actor=applicant,
        name="submit_report",
        report={"summary": "完成考察，签署备忘录。", "actual_return_date": date.today() - timedelta(days=14)},
    )
    report = Disclosure.objects.get(application=ended, kind="report")
    open_page = english.get(f"/notices/{report.pk}/").content.decode()
    assert "完成考察，签署备忘录。" in open_page and 'data-testid="notice-report"' in open_page
    services.application_transition(application=ended, actor=officer, name="accept_report")
    closed_page = english.get(f"/notices/{report.pk}/")
    assert closed_page.status_code == 200
    body = closed_page.content.decode()
    assert "完成考察，签署备忘录。" in body and 'data-testid="objection-form"' not in body
    assert "no longer accepted" in body
    assert english.post(objection_url(report), {"text": "太迟了"}).status_code == 404


def test_a_withdrawn_notice_answers_404(english, notice):
    Disclosure.objects.filter(pk=notice.pk).update(outcome="withdrawn")
    assert english.get(f"/notices/{notice.pk}/").status_code == 404
