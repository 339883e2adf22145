"""Stored rule findings read in the reader's language: a finding keeps its rule's message key and the
values that go into it, and is put into words when shown (page, back office, API)."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from approvals import rules
from approvals.models import ItineraryLeg
from approvals.services import check_rules, save_derived
from foreign_affairs.security.models import CountryAdvisory
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_of_the_next_test():
    """A request leaves its language active in the thread; the next test starts from the default."""
    yield
    translation.deactivate()


@pytest.fixture
def checked_in_chinese(organization, applicant):
    """A six-day trip to Germany (one country: five days allowed), no invitation letter, Germany advised
    against; its rules were checked while the portal spoke Chinese."""
    application = ApplicationFactory(organization=organization, created_by=applicant, trip=False)
    departure = timezone.localdate() + timedelta(days=60)
    ItineraryLeg.objects.create(
        application=application,
        position=0,
        country="DE",
        city="汉堡",
        arrive_on=departure,
        leave_on=departure + timedelta(days=5),
        host_organization="Hamburg Logistics AG",
    )
    person = PersonFactory(organization=organization, passport_expiry=departure + timedelta(days=2000))
    application.members.create(person=person, is_leader=True, position_on_trip="团长")
    CountryAdvisory.objects.create(country="DE", level="high")
    from approvals.services import refresh_summary

    refresh_summary(application)
    with translation.override("zh-hans"):
        check_rules(application)
        save_derived(application)
    application.refresh_from_db()
    return application


ENGLISH = [
    "Attach the invitation letter of the host.",
    "6 days abroad for 1 country is more than the 5 allowed.",
    "The office advises against travel to Germany; the application needs leader sign-off.",
]
CHINESE = ["请上传邀请方的邀请函。", "外侨办建议暂勿前往德国"]


def test_findings_are_stored_as_keys_and_values_not_words(checked_in_chinese):
    stored = {result["code"]: result for result in checked_in_chinese.rule_results}
    assert stored["days_abroad"]["message_key"] == "too_long"
    assert stored["days_abroad"]["params"] == {"days": 6, "count": 1, "limit": 5}
    assert stored["destination_advisory"]["params"] == {"country": "DE"}
    assert not any("message_en" in result or "message_zh" in result for result in stored.values())
    json.dumps(checked_in_chinese.rule_results)  # JSON as it is, nothing lazy left in it


def test_a_finding_stored_in_chinese_reads_in_english_on_the_english_page(
    client, applicant, checked_in_chinese
):
    client.force_login(applicant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("approvals:detail", args=[checked_in_chinese.pk])).content.decode()
    assert all(sentence in page for sentence in ENGLISH), page
    assert not any(sentence in page for sentence in CHINESE)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("approvals:detail", args=[checked_in_chinese.pk])).content.decode()
    assert all(sentence in page for sentence in CHINESE)


def test_the_back_office_shows_stored_findings_in_the_officers_language(client, officer, checked_in_chinese):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("admin:approvals_travelapplication_change", args=[checked_in_chinese.pk])
    page = client.get(url).content.decode()
    assert all(sentence in page for sentence in ENGLISH)


def test_the_api_gives_stored_findings_and_the_precheck_in_the_accept_language(
    api_as, applicant, checked_in_chinese
):
    api = api_as(applicant)
    url = f"/api/v1/travel-applications/{checked_in_chinese.pk}/"
    english = " | ".join(r["message"] for r in api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["rule_results"])
    assert all(sentence in english for sentence in ENGLISH), english
    chinese = " | ".join(
        r["message"] for r in api.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans").json()["rule_results"]
    )
    assert all(sentence in chinese for sentence in CHINESE), chinese

    precheck = " | ".join(r["message"] for r in api.get(f"{url}precheck/", HTTP_ACCEPT_LANGUAGE="en").json())
    assert all(sentence in precheck for sentence in ENGLISH), precheck


def test_counts_take_the_readers_plural_form():
    def days_abroad(count):
        stored = {
            "code": "days_abroad",
            "message_key": "too_long",
            "params": {"days": 9, "count": count, "limit": 8},
        }
        return rules.stored_message(stored, "en")

    assert days_abroad(1).startswith("9 days abroad for 1 country is more")
    assert days_abroad(2).startswith("9 days abroad for 2 countries is more")
    lead_time = {"code": "lead_time", "message_key": "late", "params": {"needed": 45, "ahead": 1}}
    assert rules.stored_message(lead_time, "en").endswith("this trip leaves in 1 day.")


def test_dates_names_and_lists_are_written_the_readers_way():
    passport = {
        "code": "passport_validity",
        "message_key": "expiring",
        "params": {"name": "张三", "expiry": "2027-03-01", "needed": "2027-05-04", "months": 6},
    }
    assert rules.stored_message(passport, "en") == (
        "The passport of 张三 expires on 1 Mar 2027; it must be valid until at least 4 May 2027 "
        "(6 months after the return)."
    )
    assert "2027年3月1日" in rules.stored_message(passport, "zh-hans")
    pair = {"code": "leadership_pair", "message_key": "together", "params": {"names": ["张三", "李四"]}}
    assert rules.stored_message(pair, "en").startswith("张三, 李四 are both")
    assert rules.stored_message(pair, "zh-hans").startswith("张三、李四")


def test_findings_stored_before_keep_their_words():
    old = {"code": "lead_time", "severity": "error", "message_en": "Too late.", "message_zh": "太晚了。"}
    assert rules.stored_message(old, "en") == "Too late."
    assert rules.stored_message(old, "zh-hans") == "太晚了。"
    assert rules.stored_as_api([old], "en") == [
        {"code": "lead_time", "severity": "error", "message": "Too late."}
    ]


def test_a_message_the_rule_no_longer_has_reads_as_the_rules_name():
    gone = {"code": "lead_time", "message_key": "withdrawn", "params": {}}
    assert rules.stored_message(gone, "en") == "Time before departure"
