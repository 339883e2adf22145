"""The registered foreign organisation's own pages (/foreign-offices/my/): its entry and history, the annual
report filed from the page, change requests that wait for the office's approval, closure, the public-listing
consent, scoping (anyone else gets 404) and lists whose queries do not grow with their rows."""

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from foreign_offices.models import AnnualReport, ChangeRequest, FieldChange
from foreign_offices.services import annual, changes, registry
from foreign_offices.workflow import ChangeState, OrganisationState, ReportState

from .factories import member_of, opened_case

pytestmark = pytest.mark.django_db

MY = "/foreign-offices/my/"
REPORTS = "/foreign-offices/my/reports/"
FILE_REPORT = "/foreign-offices/my/reports/new/"
CHANGES = "/foreign-offices/my/changes/"

REPORT = {
    "activities": "Two trade fairs in Zhengzhou and a delegation from Bavaria to Luoyang.",
    "staff_foreign": "2",
    "staff_local": "5",
    "address_confirmed": "on",
    "representative_confirmed": "on",
}
# The same report as the service takes it.
REPORT_DATA = {
    "activities": REPORT["activities"],
    "staff_foreign": 2,
    "staff_local": 5,
    "address_confirmed": True,
    "representative_confirmed": True,
}


@pytest.fixture
def as_user(client):
    """`client` signed in as `user`, in English (assertions read the source strings)."""

    def sign_in(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return sign_in


def other_case(officer, **overrides):
    """A second organisation, with its own contact and names."""
    return opened_case(
        officer,
        organisation_name="Lyon Soieries SA",
        organisation_name_zh="里昂丝绸股份公司",
        country="FR",
        contact_name="Marie Dubois",
        contact_email="marie.dubois@example.fr",
        **overrides,
    )


def text(response) -> str:
    return response.content.decode()


def history(response) -> str:
    """The office page's history section."""
    return text(response).split('aria-labelledby="history-title"', 1)[1]


# The office page ------------------------------------------------------------------------------------------


def test_the_member_sees_the_entry_and_the_history_of_its_fields(as_user, officer):
    organisation = opened_case(officer).organisation
    registry.organisation_update(organisation=organisation, actor=officer, data={"staff_local": 4})
    client = as_user(member_of(organisation))
    response = client.get(MY)
    assert response.status_code == 200
    page = text(response)
    assert organisation.name in page and organisation.registration_number in page
    assert 'data-field="staff_local"' in page and "Local staff" in page
    assert "Representative office of a foreign company" in page and "Germany" in page
    assert client.get(reverse("foreign_offices:my_office_entry", args=[organisation.pk])).status_code == 200


def test_the_history_shows_readable_values(as_user, officer):
    organisation = opened_case(officer).organisation
    registry.organisation_update(
        organisation=organisation,
        actor=officer,
        data={"ftz_area": "luoyang", "registration_valid_until": date(2031, 3, 1)},
    )
    page = text(as_user(member_of(organisation)).get(MY))
    assert "Luoyang area" in page and "1 Mar 2031" in page
    assert "2031-03-01" not in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (MY, REPORTS, CHANGES, FILE_REPORT):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_users_without_a_registry_entry_get_404(as_user, applicant, officer):
    for user in (applicant, officer):
        client = as_user(user)
        for url in (MY, REPORTS, CHANGES, FILE_REPORT, "/foreign-offices/my/changes/new/address/"):
            assert client.get(url).status_code == 404, (user, url)


def test_another_organisation_gets_404_for_this_ones_pages(as_user, officer, applicant):
    organisation = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    member = member_of(organisation)
    with time_machine.travel(date(2026, 2, 1)):
        report = annual.report_submit(organisation=organisation, actor=member, year=2025, data=REPORT_DATA)
    change = changes.change_submit(
        organisation=organisation, actor=member, kind="staff", proposed={"staff_foreign": 3, "staff_local": 9}
    )
    stranger = member_of(other_case(officer).organisation)
    urls = [
        reverse("foreign_offices:my_office_entry", args=[organisation.pk]),
        reverse("foreign_offices:report_detail", args=[report.pk]),
        reverse("foreign_offices:change_detail", args=[change.pk]),
    ]
    for user in (applicant, stranger):
        client = as_user(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client = as_user(stranger)
    assert client.post(f"{urls[2]}withdraw/", {"comment": "Not ours"}).status_code == 404
    assert client.post(f"{urls[1]}resubmit/", REPORT).status_code == 404
    change.refresh_from_db()
    assert change.state == ChangeState.SUBMITTED
    client = as_user(member)
    assert all(client.get(url).status_code == 200 for url in urls)


# Annual reports -------------------------------------------------------------------------------------------


def test_the_member_files_the_annual_report_from_the_page(as_user, officer):
    organisation = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    registry.organisation_update(organisation=organisation, actor=officer, data={"staff_foreign": 3})
    with time_machine.travel(date(2026, 2, 1)):
        client = as_user(member_of(organisation))
        page = text(client.get(MY))
        assert "File the report on 2025" in page and "due on 31 Mar 2026" in page
        form = client.get(FILE_REPORT)
        assert form.status_code == 200
        assert 'name="staff_foreign" value="3"' in text(form)
        assert organisation.address in text(form)
        response = client.post(FILE_REPORT, REPORT)
        report = AnnualReport.objects.get(organisation=organisation, year=2025)
        assert response.status_code == 302
        assert response.url == reverse("foreign_offices:report_detail", args=[report.pk])
        assert report.state == ReportState.SUBMITTED and report.on_time and report.staff_local == 5
        detail = text(client.get(response.url))
        assert "Two trade fairs" in detail and "Submitted" in detail
        assert 'data-status="filed"' in text(client.get(REPORTS))


def test_a_second_report_for_the_year_is_refused_with_the_message(as_user, officer):
    organisation = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    with time_machine.travel(date(2026, 2, 1)):
        client = as_user(member_of(organisation))
        assert client.post(FILE_REPORT, REPORT).status_code == 302
        again = client.post(FILE_REPORT, {**REPORT, "activities": "Something else"})
        assert again.status_code == 409
        assert "The report on 2025 has been filed already" in text(again)
        report = AnnualReport.objects.get()
        assert reverse("foreign_offices:report_detail", args=[report.pk]) in text(again)
    assert AnnualReport.objects.filter(organisation=organisation).count() == 1
    assert AnnualReport.objects.get().activities.startswith("Two trade fairs")


def test_the_confirmations_are_asked_for_and_nothing_is_stored_without_them(as_user, officer):
    organisation = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    with time_machine.travel(date(2026, 2, 1)):
        client = as_user(member_of(organisation))
        response = client.post(FILE_REPORT, {**REPORT, "address_confirmed": ""})
    assert response.status_code == 400
    assert "file a change request for a new address first" in text(response)
    assert not AnnualReport.objects.exists()


def test_before_the_window_opens_the_page_says_when(as_user, officer):
    organisation = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    annual.window_set(actor=officer, year=2025, opens_on=date(2026, 2, 15), due_on=date(2026, 4, 30))
    with time_machine.travel(date(2026, 2, 1)):
        client = as_user(member_of(organisation))
        page = text(client.get(FILE_REPORT))
        assert "can be filed from 15 Feb 2026 until 30 Apr 2026" in page
        assert 'data-testid="report-form"' not in page
        assert client.post(FILE_REPORT, REPORT).status_code == 409
    assert not AnnualReport.objects.exists()


def test_an_overdue_report_shows_as_overdue(as_user, officer):
    organisation = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    with time_machine.travel(date(2026, 4, 10)):
        page = text(as_user(member_of(organisation)).get(MY))
    assert 'data-status="overdue"' in page and "10 days overdue" in page


def test_a_returned_report_is_corrected_and_filed_again(as_user, officer):
    organisation = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    member = member_of(organisation)
    with time_machine.travel(date(2026, 2, 1)):
        client = as_user(member)
        client.post(FILE_REPORT, REPORT)
        report = AnnualReport.objects.get()
        annual.report_transition(
            report=report, actor=officer, name="return_for_changes", comment="Name the Luoyang partner."
        )
        url = reverse("foreign_offices:report_detail", args=[report.pk])
        page = text(client.get(url))
        assert "Name the Luoyang partner." in page and 'data-testid="resubmit-form"' in page
        assert "Correct it and file it again" in text(client.get(MY))
        response = client.post(
            f"{url}resubmit/", {**REPORT, "activities": "Trade fairs; a delegation to Luoyang Bearing Co."}
        )
        assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and "Luoyang Bearing" in report.activities


# Change requests --------------------------------------------------------------------------------------------


def test_a_change_request_from_the_page_waits_for_the_offices_approval(as_user, officer):
    organisation = opened_case(officer).organisation
    old = organisation.address
    client = as_user(member_of(organisation))
    choose = text(client.get(f"{CHANGES}new/"))
    assert "/foreign-offices/my/changes/new/address/" in choose
    response = client.post(
        f"{CHANGES}new/address/",
        {
            "address": "郑州市郑东新区商务外环路1号 2001室",
            "ftz_area": "zhengzhou",
            "reason": "Larger office.",
        },
    )
    request = ChangeRequest.objects.get()
    assert response.status_code == 302 and response.url == f"{CHANGES}{request.pk}/"
    organisation.refresh_from_db()
    assert organisation.address == old
    detail = text(client.get(response.url))
    assert old in detail and "郑州市郑东新区商务外环路1号 2001室" in detail and "Submitted" in detail
    assert 'data-transition="withdraw"' in detail
    assert "郑州市郑东新区商务外环路1号 2001室" not in history(client.get(MY))

    changes.change_transition(request=request, actor=officer, name="approve")
    organisation.refresh_from_db()
    assert organisation.address == "郑州市郑东新区商务外环路1号 2001室"
    rows = history(client.get(MY))
    assert old in rows and f"/foreign-offices/my/changes/{request.pk}/" in rows
    assert 'data-transition="withdraw"' not in text(client.get(response.url))


def test_the_chief_representative_form_names_the_new_person(as_user, officer):
    organisation = opened_case(officer).organisation
    client = as_user(member_of(organisation))
    response = client.post(
        f"{CHANGES}new/chief_representative/",
        {
            "full_name": "Klaus Weber",
            "passport_number": "C01X00T47",
            "passport_expiry": "2031-05-31",
            "position": "Chief Representative",
        },
    )
    assert response.status_code == 302, text(response)
    request = ChangeRequest.objects.get()
    assert (
        request.proposed["full_name"] == "Klaus Weber" and request.proposed["passport_expiry"] == "2031-05-31"
    )
    detail = text(client.get(response.url))
    assert "Klaus Weber" in detail and "31 May 2031" in detail


def test_a_change_that_changes_nothing_comes_back_beside_the_field(as_user, officer):
    organisation = opened_case(officer).organisation
    client = as_user(member_of(organisation))
    response = client.post(f"{CHANGES}new/staff/", {"staff_foreign": "0", "staff_local": "0"})
    assert response.status_code == 400
    assert "These are the numbers in the registry already." in text(response)
    assert not ChangeRequest.objects.exists()


def test_the_member_withdraws_a_waiting_request_with_a_reason(as_user, officer):
    organisation = opened_case(officer).organisation
    client = as_user(member_of(organisation))
    client.post(f"{CHANGES}new/staff/", {"staff_foreign": "3", "staff_local": "9"})
    request = ChangeRequest.objects.get()
    url = f"{CHANGES}{request.pk}/withdraw/"
    assert client.post(url, {"comment": ""}).status_code == 400
    request.refresh_from_db()
    assert request.state == ChangeState.SUBMITTED
    response = client.post(url, {"comment": "Counted the interns by mistake."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == ChangeState.WITHDRAWN
    assert "withdrawn" in text(client.get(response.url)).lower()
    # A second withdrawal meets the new state: a message, nothing changes.
    again = client.post(url, {"comment": "Again"}, follow=True)
    assert "is not possible in the state" in text(again)
    organisation.refresh_from_db()
    assert organisation.staff_local == 0


def test_closure_needs_a_reason_and_a_confirmation(as_user, officer):
    organisation = opened_case(officer).organisation
    client = as_user(member_of(organisation))
    response = client.post(f"{CHANGES}new/closure/", {"closing_on": "2026-12-31", "reason": ""})
    assert response.status_code == 400
    page = text(response)
    assert "Say why the office closes." in page and "Confirm that you want to close the office." in page
    assert not ChangeRequest.objects.exists()
    response = client.post(
        f"{CHANGES}new/closure/",
        {"closing_on": "2026-12-31", "reason": "Moving to Wuhan.", "confirm": "on"},
    )
    assert response.status_code == 302
    request = ChangeRequest.objects.get()
    assert request.kind == "closure" and request.reason == "Moving to Wuhan."
    organisation.refresh_from_db()
    assert organisation.state == OrganisationState.ACTIVE


def test_a_closed_organisation_files_no_change_and_is_told_why(as_user, officer):
    organisation = opened_case(officer).organisation
    client = as_user(member_of(organisation))
    registry.organisation_transition(organisation=organisation, actor=officer, name="close", comment="Gone.")
    response = client.post(f"{CHANGES}new/staff/", {"staff_foreign": "3", "staff_local": "9"})
    assert response.status_code == 409
    assert "The organisation is closed; its registry entry no longer changes." in text(response)
    assert not ChangeRequest.objects.exists()
    page = text(client.get(MY))
    assert 'data-testid="listing-form"' not in page and "was closed in the registry" in page


# The public listing ------------------------------------------------------------------------------------------


def test_the_consent_form_lists_and_unlists_the_office_and_keeps_the_history(as_user, officer):
    organisation = opened_case(officer).organisation
    client = as_user(member_of(organisation))
    page = text(client.get(MY))
    assert "It never shows your chief representative" in page
    response = client.post(
        "/foreign-offices/my/listing/",
        {"list_publicly": "on", "website": "https://www.bm-gmbh.example", "description": "Machinery sales."},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.list_publicly and organisation.website == "https://www.bm-gmbh.example"
    assert organisation.consent_changed_at is not None
    client.post("/foreign-offices/my/listing/", {"website": "https://www.bm-gmbh.example"})
    organisation.refresh_from_db()
    assert not organisation.list_publicly
    assert list(
        FieldChange.objects.filter(organisation=organisation, field="list_publicly")
        .order_by("changed_at", "pk")
        .values_list("old_value", "new_value")
    ) == [("False", "True"), ("True", "False")]
    assert "Listed in the public directory" in history(client.get(MY))


def test_a_bad_website_comes_back_beside_the_field(as_user, officer):
    organisation = opened_case(officer).organisation
    response = as_user(member_of(organisation)).post(
        "/foreign-offices/my/listing/", {"list_publicly": "on", "website": "not a web address"}
    )
    assert response.status_code == 400 and "Enter a valid URL." in text(response)
    organisation.refresh_from_db()
    assert not organisation.list_publicly


# Chinese, the default language ---------------------------------------------------------------------------------


def test_the_pages_render_in_chinese_without_iso_dates(client, officer):
    organisation = opened_case(officer, registered_on=date(2025, 3, 2)).organisation
    member = member_of(organisation)
    with time_machine.travel(date(2026, 2, 1)):
        client.force_login(member)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        client.post(FILE_REPORT, REPORT)
        changes.change_submit(
            organisation=organisation, actor=member, kind="closure", proposed={"closing_on": "2026-06-30"},
            reason="迁往武汉。",
        )  # fmt: skip
        report, change = AnnualReport.objects.get(), ChangeRequest.objects.get()
        for url in (
            MY,
            REPORTS,
            CHANGES,
            f"{CHANGES}new/",
            f"{CHANGES}new/closure/",
            f"{REPORTS}{report.pk}/",
            f"{CHANGES}{change.pk}/",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "2025-03-02" not in text(response) and "2026-06-30" not in text(response), url
        assert "2026年6月30日" in text(client.get(f"{CHANGES}{change.pk}/"))


# Queries ---------------------------------------------------------------------------------------------------------


def _fill(organisation, member, officer, years, rounds):
    with time_machine.travel(date(2026, 2, 1)):
        for year in years:
            annual.report_submit(
                organisation=organisation,
                actor=member,
                year=year,
                data={
                    "activities": f"Year {year}.",
                    "staff_foreign": 1,
                    "staff_local": 1,
                    "address_confirmed": True,
                    "representative_confirmed": True,
                },
            )
    for n in rounds:
        request = changes.change_submit(
            organisation=organisation,
            actor=member,
            kind="staff",
            proposed={"staff_foreign": 10 + n, "staff_local": n},
        )
        if n % 2:
            changes.change_transition(request=request, actor=member, name="withdraw")
        else:
            changes.change_transition(request=request, actor=officer, name="approve")


def test_the_lists_queries_do_not_grow_with_rows(as_user, officer, django_assert_max_num_queries):
    organisation = opened_case(officer, registered_on=date(2018, 3, 2)).organisation
    member = member_of(organisation)
    client = as_user(member)
    urls = (MY, REPORTS, CHANGES)
    _fill(organisation, member, officer, [2018], [1, 2])
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few)
    _fill(organisation, member, officer, range(2019, 2026), range(3, 15))
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
