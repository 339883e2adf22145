"""The enterprise pages of travel applications: the form with its formsets and live rule check,
attachments, the detail page and its actions, the list, and the liaison's endorsements."""

from datetime import date, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from approvals import services
from approvals.models import Attachment, RuleSetting, TravelApplication
from approvals.workflow import State
from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.documents.models import Document
from tests.approvals.factories import ApplicationFactory
from tests.factories import PersonFactory, office_user
from tests.foreign_affairs.documents.conftest import pdf_bytes

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def english(client):
    """Pages in English, so that assertions can read the source strings whatever is translated."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def people(organization):
    return [
        PersonFactory(organization=organization, full_name="张三", position="经理"),
        PersonFactory(organization=organization, full_name="李四", position="工程师"),
    ]


def departure(days: int = 60) -> date:
    return date.today() + timedelta(days=days)


def leg(country, city, arrive, leave, host="Host GmbH"):
    return {
        "country": country,
        "city": city,
        "arrive_on": arrive.isoformat(),
        "leave_on": leave.isoformat(),
        "host_organization": host,
    }


def existing(person, position="团员", leader=False):
    return {"person": person.pk, "position_on_trip": position, "is_leader": "on" if leader else None}


def new_person(name="王新", number="E99887766", expiry=None, position="翻译"):
    expiry = expiry or date.today() + timedelta(days=2000)
    return {
        "person": "",
        "full_name": name,
        "passport_type": "official_ordinary",
        "passport_number": number,
        "passport_expiry": expiry.isoformat(),
        "birth_date": "1990-05-01",
        "gender": "female",
        "position_on_trip": position,
    }


def form_data(*, legs=(), members=(), initial_legs=0, initial_members=0, action="save", **fields) -> dict:
    """What the browser posts: the application's fields and both formsets with their management forms."""
    data = {
        "title": "赴德国、法国商务考察",
        "purpose": "与合作伙伴洽谈物流合作。",
        "mission_type": "business_negotiation",
        "budget_amount": "80000",
        "budget_currency": "CNY",
        "funding_source": "own_funds",
        "contact_name": "李娜",
        "contact_phone": "0371-65550101",
        "justification": "",
        "action": action,
    }
    data.update(fields)
    for prefix, rows, initial in (("legs", legs, initial_legs), ("members", members, initial_members)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(initial),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return {key: value for key, value in data.items() if value is not None}


def trip_data(people, *, start=None, **fields):
    start = start or departure()
    return form_data(
        legs=[
            leg("DE", "汉堡", start, start + timedelta(days=3)),
            leg("FR", "里昂", start + timedelta(days=4), start + timedelta(days=6), "Lyon Expo SA"),
        ],
        members=[existing(people[0], "团长", leader=True), existing(people[1]), new_person()],
        **fields,
    )


def attach_invitation(client, application):
    upload = SimpleUploadedFile("invitation.pdf", pdf_bytes(), content_type="application/pdf")
    return client.post(f"/applications/{application.pk}/attachments/", {"kind": "invitation", "file": upload})


# Creating and editing --------------------------------------------------------------------------------


def test_an_applicant_creates_a_draft_with_two_stops_and_three_members(
    client, applicant, organization, people
):
    client.force_login(applicant)
    page = client.get("/applications/new/").content.decode()
    assert 'id="legs-empty-form"' in page and 'id="members-empty-form"' in page
    assert 'hx-post="/applications/precheck/"' in page and 'aria-live="polite"' in page
    assert 'name="file"' in page and 'form="application-form"' in page  # attached on the first save

    response = client.post("/applications/new/", trip_data(people))

    application = TravelApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/applications/{application.pk}/"
    assert (application.state, application.organization, application.created_by) == (
        State.DRAFT,
        organization,
        applicant,
    )
    assert [(str(leg.country), leg.city) for leg in application.legs.all()] == [
        ("DE", "汉堡"),
        ("FR", "里昂"),
    ]
    members = list(application.members.select_related("person"))
    assert [m.person.full_name for m in members] == ["张三", "李四", "王新"]
    assert [m.is_leader for m in members] == [True, False, False]
    newcomer = Person.objects.get(full_name="王新")
    assert (newcomer.organization, newcomer.passport_number, newcomer.gender) == (
        organization,
        "E99887766",
        "female",
    )
    assert (application.member_count, application.leader_name, application.countries) == (3, "张三", "DE,FR")
    assert application.reference in client.get(response["Location"]).content.decode()


def test_formset_errors_keep_what_was_typed_and_are_summarised(client, applicant, people):
    client.force_login(applicant)
    start = departure()
    data = form_data(
        legs=[
            leg("DE", "汉堡", start, start + timedelta(days=3)),
            leg("FR", "里昂", start + timedelta(days=6), start + timedelta(days=4)),
        ],
        members=[existing(people[0], "团长", leader=True), {**new_person(), "passport_number": ""}],
        title="",
    )
    response = client.post("/applications/new/", data)
    body = response.content.decode()
    assert response.status_code == 200 and not TravelApplication.objects.exists()
    assert 'id="error-summary"' in body
    assert 'href="#id_title"' in body and 'href="#id_legs-1-leave_on"' in body
    assert 'href="#id_members-1-passport_number"' in body
    assert 'value="里昂"' in body and 'value="王新"' in body and "与合作伙伴洽谈物流合作。" in body
    assert 'aria-invalid="true"' in body


def test_two_leaders_are_refused_and_nothing_is_saved(client, applicant, people):
    client.force_login(applicant)
    start = departure()
    data = form_data(
        legs=[leg("DE", "汉堡", start, start + timedelta(days=2))],
        members=[existing(people[0], leader=True), existing(people[1], leader=True)],
    )
    response = client.post("/applications/new/", data)
    assert response.status_code == 200 and 'id="error-summary"' in response.content.decode()
    assert not TravelApplication.objects.exists()


def test_an_applicant_changes_a_draft_and_rows_are_removed(client, applicant, organization, people):
    client.force_login(applicant)
    client.post("/applications/new/", trip_data(people))
    application = TravelApplication.objects.get()
    page = client.get(f"/applications/{application.pk}/edit/").content.decode()
    assert 'value="汉堡"' in page and 'name="legs-INITIAL_FORMS" value="2"' in page
    assert f'hx-post="/applications/{application.pk}/precheck/"' in page

    data = trip_data(people, title="赴德国商务考察", initial_legs=2, initial_members=3)
    data["legs-1-DELETE"] = "on"  # the Remove button ticks this box
    data["members-2-DELETE"] = "on"
    response = client.post(f"/applications/{application.pk}/edit/", data)

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "赴德国商务考察" and application.countries == "DE"
    assert application.member_count == 2
    assert AuditEvent.objects.filter(action="travel_application.update").exists()


def test_the_add_buttons_without_javascript_save_and_come_back_with_a_new_row(client, applicant, people):
    client.force_login(applicant)
    response = client.post("/applications/new/", trip_data(people, action="add_legs"))
    application = TravelApplication.objects.get()
    assert response["Location"] == f"/applications/{application.pk}/edit/?add=legs#itinerary"
    page = client.get(response["Location"]).content.decode()
    assert 'name="legs-TOTAL_FORMS" value="3"' in page and 'name="legs-INITIAL_FORMS" value="2"' in page


def test_only_drafts_and_returned_applications_can_be_changed(client, applicant, organization):
    client.force_login(applicant)
    submitted = ApplicationFactory(organization=organization, submitted=True)
    response = client.get(f"/applications/{submitted.pk}/edit/")
    assert response.status_code == 409 and submitted.reference in response.content.decode()
    returned = ApplicationFactory(organization=organization, returned=True)
    page = client.get(f"/applications/{returned.pk}/edit/").content.decode()
    assert 'value="submit"' in page and 'data-testid="save-draft"' in page


def test_a_manager_cannot_start_an_application(client, manager):
    client.force_login(manager)
    assert client.get("/applications/new/").status_code == 403
    assert client.post("/applications/new/", form_data()).status_code == 403
    assert client.post("/applications/precheck/", form_data()).status_code == 403
    assert not TravelApplication.objects.exists()


def test_other_organisations_applications_are_not_found(client, other_applicant, organization):
    application = ApplicationFactory(organization=organization)
    attachment = application.attachments.get()
    client.force_login(other_applicant)
    pk = application.pk
    assert client.get(f"/applications/{pk}/").status_code == 404
    assert client.get(f"/applications/{pk}/edit/").status_code == 404
    assert client.post(f"/applications/{pk}/precheck/", {}).status_code == 404
    assert client.post(f"/applications/{pk}/transition/withdraw/", {"comment": "x"}).status_code == 404
    assert client.post(f"/applications/{pk}/attachments/", {"kind": "agenda"}).status_code == 404
    assert client.post(f"/applications/{pk}/attachments/{attachment.pk}/remove/").status_code == 404
    assert application.reference not in client.get("/applications/").content.decode()
    application.refresh_from_db()
    assert application.state == State.DRAFT and application.attachments.exists()


# The live rule check -------------------------------------------------------------------------------------


def test_the_rule_panel_checks_an_unsaved_form(english, applicant, people):
    english.force_login(applicant)
    start = departure(10)
    data = form_data(
        legs=[leg("DE", "汉堡", start, start + timedelta(days=2))],
        members=[existing(people[0], "团长", leader=True), new_person()],
    )
    response = english.post("/applications/precheck/", data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="invitation_letter"' in body and 'href="#documents"' in body
    assert 'data-code="lead_time"' in body and "leaves in 10 days" in body
    assert 'hx-swap-oob="true"' in body  # the progress indicator follows
    assert not TravelApplication.objects.exists()


def test_the_rule_panel_reads_rows_still_being_typed(english, applicant, people):
    english.force_login(applicant)
    start = departure()
    data = form_data(
        legs=[leg("DE", "", start, start + timedelta(days=2)), {"country": "FR"}],
        members=[existing(people[0], leader=True)],
    )
    body = english.post("/applications/precheck/", data, **HTMX).content.decode()
    assert 'data-code="itinerary"' not in body  # the first stop counts although its city is missing
    assert "checked once they are complete" in body


def test_the_rule_panel_says_when_all_rules_are_met(english, applicant, organization):
    RuleSetting.objects.update_or_create(
        code="predeparture_training", defaults={"enabled": False}
    )  # no training yet
    application = ApplicationFactory(organization=organization)
    english.force_login(applicant)
    page = english.get(f"/applications/{application.pk}/edit/").content.decode()
    assert "All rules are met." in page
    legs = [
        {
            "country": str(leg.country),
            "city": leg.city,
            "arrive_on": leg.arrive_on.isoformat(),
            "leave_on": leg.leave_on.isoformat(),
            "host_organization": leg.host_organization,
        }
        for leg in application.legs.all()
    ]
    members = [existing(member.person, leader=member.is_leader) for member in application.members.all()]
    data = form_data(legs=legs, members=members, initial_legs=2, initial_members=3)
    body = english.post(f"/applications/{application.pk}/precheck/", data, **HTMX).content.decode()
    assert "All rules are met." in body and 'data-severity="error"' not in body

    data["legs-1-leave_on"] = (application.legs.last().arrive_on + timedelta(days=30)).isoformat()
    body = english.post(f"/applications/{application.pk}/precheck/", data, **HTMX).content.decode()
    assert 'data-code="days_abroad"' in body and 'href="#id_justification"' in body


# Attachments ---------------------------------------------------------------------------------------------


def test_an_invitation_letter_is_attached_and_a_text_file_refused(client, applicant, organization):
    application = ApplicationFactory(organization=organization, trip=False)
    client.force_login(applicant)

    response = attach_invitation(client, application)
    assert response.status_code == 302
    assert response["Location"] == f"/applications/{application.pk}/edit/#documents"
    attachment = Attachment.objects.get(application=application)
    assert (attachment.kind, attachment.document.original_name) == ("invitation", "invitation.pdf")
    page = client.get(response["Location"]).content.decode()
    assert f"/documents/{attachment.document.pk}/download/" in page

    text = SimpleUploadedFile("letter.pdf", b"Dear partner, please come.", content_type="application/pdf")
    response = client.post(f"/applications/{application.pk}/attachments/", {"kind": "agenda", "file": text})
    assert response.status_code == 302 and application.attachments.count() == 1
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages and "PDF" in messages[0]


def test_uploads_with_htmx_answer_the_documents_section_and_refresh_the_rule_check(
    client, applicant, organization
):
    application = ApplicationFactory(organization=organization, trip=False)
    client.force_login(applicant)
    upload = SimpleUploadedFile("agenda.png", b"not an image", content_type="image/png")
    refused = client.post(
        f"/applications/{application.pk}/attachments/", {"kind": "agenda", "file": upload}, **HTMX
    )
    assert refused.status_code == 200 and 'data-testid="upload-error"' in refused.content.decode()
    assert "HX-Trigger" not in refused

    upload = SimpleUploadedFile("invitation.pdf", pdf_bytes(), content_type="application/pdf")
    added = client.post(
        f"/applications/{application.pk}/attachments/", {"kind": "invitation", "file": upload}, **HTMX
    )
    assert added.status_code == 200 and "attachments-changed" in added["HX-Trigger"]
    assert 'data-kind="invitation"' in added.content.decode()

    attachment = application.attachments.get()
    removed = client.post(f"/applications/{application.pk}/attachments/{attachment.pk}/remove/", **HTMX)
    assert removed.status_code == 200 and "attachments-changed" in removed["HX-Trigger"]
    assert not application.attachments.exists()
    assert AuditEvent.objects.filter(action="travel_application.detach").exists()


def test_attachments_cannot_be_changed_once_submitted(client, applicant, organization):
    application = ApplicationFactory(organization=organization, submitted=True)
    client.force_login(applicant)
    response = attach_invitation(client, application)
    assert response.status_code == 302 and response["Location"] == f"/applications/{application.pk}/"
    assert application.attachments.count() == 1


# Submitting ----------------------------------------------------------------------------------------------


def test_a_draft_is_submitted_through_the_form(client, applicant, organization, people):
    client.force_login(applicant)
    client.post("/applications/new/", trip_data(people))
    application = TravelApplication.objects.get()
    attach_invitation(client, application)

    data = trip_data(people, initial_legs=2, initial_members=3, action="submit")
    response = client.post(f"/applications/{application.pk}/edit/", data)

    assert response.status_code == 302 and response["Location"] == f"/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.due_on is not None
    detail = client.get(response["Location"]).content.decode()
    assert 'data-state="submitted"' in detail


def test_a_submission_the_rules_refuse_stays_on_the_form_with_the_findings(english, applicant, people):
    english.force_login(applicant)
    response = english.post("/applications/new/", trip_data(people, action="submit"))

    application = TravelApplication.objects.get()  # the draft is kept, so nothing typed is lost
    body = response.content.decode()
    assert response.status_code == 200 and application.state == State.DRAFT
    assert 'id="error-summary"' in body and "Attach the invitation letter of the host." in body
    assert f'action="/applications/{application.pk}/edit/"' in body
    # The form shows the draft as saved: the new traveller is one of the organisation's now, and the rows
    # count as saved ones, so that saving the page again keeps them.
    newcomer = Person.objects.get(full_name="王新")
    assert f'<option value="{newcomer.pk}" selected>' in body and 'value="汉堡"' in body
    assert 'name="legs-INITIAL_FORMS" value="2"' in body and 'name="members-INITIAL_FORMS" value="3"' in body
    # The address becomes the draft's (static/js/portal.js reads the attribute).
    assert f'data-replace-url="/applications/{application.pk}/edit/"' in body


def test_a_returned_application_is_submitted_again(client, applicant, organization):
    application = ApplicationFactory(organization=organization, returned=True)
    members = [existing(member.person, leader=member.is_leader) for member in application.members.all()]
    legs = [
        leg(str(item.country), item.city, item.arrive_on, item.leave_on) for item in application.legs.all()
    ]
    client.force_login(applicant)
    data = form_data(legs=legs, members=members, initial_legs=2, initial_members=3, action="submit")
    assert client.post(f"/applications/{application.pk}/edit/", data).status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert AuditEvent.objects.filter(action="travel_application.resubmit").exists()


# The detail page and its actions -------------------------------------------------------------------------


def test_the_detail_page_shows_next_step_timeline_and_the_actions(english, applicant, liaison, organization):
    application = ApplicationFactory(organization=organization)
    services.application_transition(application=application, actor=applicant, name="submit")
    services.application_transition(
        application=application, actor=liaison, name="return_for_changes", comment="请补充日程安排。"
    )
    english.force_login(applicant)
    body = english.get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="next-step"' in body and "Make the changes asked for in the comment" in body
    assert 'data-testid="timeline"' in body and "请补充日程安排。" in body
    assert "returned the application for changes" in body
    assert 'data-transition="resubmit"' in body and 'data-transition="withdraw"' in body
    assert 'data-testid="edit"' in body
    leader = application.members.get(is_leader=True).person
    assert leader.passport_number in body  # whole, for the own organisation
    assert "120,000.00 CNY" in body


def test_withdrawing_asks_for_a_reason(client, applicant, organization):
    application = ApplicationFactory(organization=organization, submitted=True)
    client.force_login(applicant)
    refused = client.post(f"/applications/{application.pk}/transition/withdraw/", {"comment": " "})
    assert (
        refused.status_code == 400 and '<details class="transition-confirm" open>' in refused.content.decode()
    )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED

    response = client.post(f"/applications/{application.pk}/transition/withdraw/", {"comment": "行程取消"})
    assert response.status_code == 302 and response["Location"] == f"/applications/{application.pk}/"
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert AuditEvent.objects.get(action="travel_application.withdraw").comment == "行程取消"


def test_transitions_are_posted_only(client, applicant, organization):
    application = ApplicationFactory(organization=organization)
    client.force_login(applicant)
    assert client.get(f"/applications/{application.pk}/transition/submit/").status_code == 405
    assert client.post(f"/applications/{application.pk}/transition/nonsense/").status_code == 404


def test_errors_of_a_transition_come_back_as_messages(english, applicant, organization):
    english.force_login(applicant)
    bare = ApplicationFactory(organization=organization, trip=False)
    response = english.post(f"/applications/{bare.pk}/transition/submit/", follow=True)
    assert "does not meet the rules yet" in response.content.decode()
    bare.refresh_from_db()
    assert bare.state == State.DRAFT

    in_review = ApplicationFactory(organization=organization, in_review=True)
    response = english.post(f"/applications/{in_review.pk}/transition/approve/", follow=True)
    assert "Your role does not allow this action." in response.content.decode()
    response = english.post(f"/applications/{in_review.pk}/transition/submit/", follow=True)
    assert "is not possible in the state" in response.content.decode()


def test_the_liaison_endorses_from_the_endorsement_list(client, liaison, organization):
    submitted = ApplicationFactory(organization=organization, submitted=True)
    others = [
        ApplicationFactory(organization=organization),  # a draft is not the liaison's yet
        ApplicationFactory(organization=organization, in_review=True),
        ApplicationFactory(submitted=True),  # another organisation's
    ]
    client.force_login(liaison)

    page = client.get("/applications/endorsements/").content.decode()
    assert submitted.reference in page and not any(other.reference in page for other in others)

    detail = client.get(f"/applications/{submitted.pk}/").content.decode()
    assert 'data-transition="endorse"' in detail and 'data-transition="return_for_changes"' in detail
    response = client.post(f"/applications/{submitted.pk}/transition/endorse/")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.IN_REVIEW
    assert "empty-state" in client.get("/applications/endorsements/").content.decode()


def test_the_liaison_returns_an_application_with_a_comment(client, liaison, organization):
    submitted = ApplicationFactory(organization=organization, submitted=True)
    client.force_login(liaison)
    url = f"/applications/{submitted.pk}/transition/return_for_changes/"
    assert client.post(url, {"comment": ""}).status_code == 400
    assert client.post(url, {"comment": "请补充邀请函译文"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED


def test_the_endorsement_page_is_for_the_liaison_only(client, applicant):
    client.force_login(applicant)
    assert client.get("/applications/endorsements/").status_code == 403


def test_the_post_trip_report_is_submitted_from_the_detail_page(client, applicant, organization):
    application = ApplicationFactory(
        organization=organization, permit_issued=True, trip__departure=date.today() - timedelta(days=20)
    )
    client.force_login(applicant)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="report-form"' in page
    url = f"/applications/{application.pk}/transition/submit_report/"
    refused = client.post(url, {"summary": "", "actual_return_date": ""})
    assert refused.status_code == 400 and 'id="id_report_summary"' in refused.content.decode()
    returned = (date.today() - timedelta(days=14)).isoformat()
    response = client.post(
        url, {"summary": "完成考察", "outcomes": "签署合作备忘录", "actual_return_date": returned}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.REPORT_SUBMITTED and application.report_outcomes == "签署合作备忘录"


# The list ------------------------------------------------------------------------------------------------


def test_the_list_searches_filters_and_pages(client, applicant, organization):
    ApplicationFactory.create_batch(22, organization=organization, trip=False, title="例行出访")
    japan = ApplicationFactory(organization=organization, submitted=True, title="赴日本参加展会", trip=False)
    japan.legs.create(
        country="JP",
        city="东京",
        arrive_on=departure(90),
        leave_on=departure(93),
        host_organization="Tokyo Expo",
    )
    services.refresh_summary(japan)
    japan.save()
    ApplicationFactory(title="赴日本参加展会")  # another organisation's
    client.force_login(applicant)

    first = client.get("/applications/").content.decode()
    assert first.count('href="/applications/') - first.count('href="/applications/new/') >= 20
    assert "?page=2" in first and 'data-testid="new-application"' in first

    assert japan.reference in client.get("/applications/", {"search": "日本"}).content.decode()
    assert japan.reference in client.get("/applications/", {"search": japan.reference}).content.decode()
    by_state = client.get("/applications/", {"state": "submitted"}).content.decode()
    assert japan.reference in by_state and by_state.count('data-state="draft"') == 0
    by_country = client.get("/applications/", {"country": "JP"}).content.decode()
    assert japan.reference in by_country and "东京" not in by_country
    window = {
        "departure_date_after": departure(80).isoformat(),
        "departure_date_before": departure(100).isoformat(),
    }
    assert japan.reference in client.get("/applications/", window).content.decode()
    assert japan.reference not in client.get("/applications/", {**window, "state": "draft"}).content.decode()

    paged = client.get("/applications/", {"search": "例行", "page": 2}).content.decode()
    assert "search=%E4%BE%8B%E8%A1%8C&amp;page=1" in paged  # the filters stay in the paging links
    empty = client.get("/applications/", {"search": "没有这个"}).content.decode()
    assert 'data-testid="empty-state"' in empty


def test_an_empty_list_says_what_to_do(client, applicant):
    client.force_login(applicant)
    body = client.get("/applications/").content.decode()
    assert 'data-testid="empty-state"' in body and 'href="/applications/new/"' in body


def test_the_list_runs_the_same_queries_for_10_or_200_applications(client, applicant, organization):
    client.force_login(applicant)
    ApplicationFactory.create_batch(10, organization=organization)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/applications/").status_code == 200
    ApplicationFactory.create_batch(190, organization=organization, in_review=True, trip=False)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/applications/").status_code == 200
    assert len(many) == len(few) <= 12


def test_office_staff_see_every_organisation_in_the_list(client, officer, organization, other_organization):
    mine, theirs = (
        ApplicationFactory(organization=organization),
        ApplicationFactory(organization=other_organization),
    )
    client.force_login(officer)
    body = client.get("/applications/").content.decode()
    assert mine.reference in body and theirs.reference in body
    assert 'data-testid="new-application"' not in body


def test_signed_out_users_are_sent_to_sign_in_but_htmx_requests_swap_nothing(client, organization):
    application = ApplicationFactory(organization=organization)
    assert client.get("/applications/").status_code == 302
    assert client.post(f"/applications/{application.pk}/precheck/", {}).status_code == 302
    assert client.post(f"/applications/{application.pk}/precheck/", {}, **HTMX).status_code == 401
    assert client.post(f"/applications/{application.pk}/attachments/", {}, **HTMX).status_code == 401


# After approval: the permit, the notice while waiting, the post-trip report ----------------------------------


def issued(organization, settings, *, departure=None):
    """An application approved by an officer through the services, its permit issued at once (no notice
    period). The permit's PDF names the approver, so the approval is a real one, not a factory state."""
    settings.DISCLOSURE_WORKING_DAYS = 0
    departure = departure or departure_in(60)
    officer = office_user(Role.OFFICER)
    # A trip that has ended was approved before it began (the rules want 45 days' notice).
    with time_machine.travel(min(date.today(), departure - timedelta(days=50)), tick=False):
        application = ApplicationFactory(organization=organization, in_review=True, trip__departure=departure)
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.application_transition(application=application, actor=officer, name="approve")
    application.refresh_from_db()
    assert application.state == State.PERMIT_ISSUED
    return application


def departure_in(days: int) -> date:
    return date.today() + timedelta(days=days)


def test_the_permit_is_downloaded_as_a_pdf_by_its_organisation_and_the_office(
    client, applicant, officer, organization, settings
):
    application = issued(organization, settings)
    permit = application.permit
    for user in (applicant, officer):
        client.force_login(user)
        response = client.get(f"/applications/{application.pk}/permit/")
        content = b"".join(response.streaming_content)
        assert response.status_code == 200 and content.startswith(b"%PDF-")
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{permit.number}.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
    assert client.post(f"/applications/{application.pk}/permit/").status_code == 405


def test_there_is_no_permit_before_it_is_issued_nor_for_other_organisations(
    client, applicant, other_applicant, organization, settings
):
    waiting = ApplicationFactory(organization=organization, approved=True)
    client.force_login(applicant)
    assert client.get(f"/applications/{waiting.pk}/permit/").status_code == 404
    application = issued(organization, settings)
    client.force_login(other_applicant)
    assert client.get(f"/applications/{application.pk}/permit/").status_code == 404
    client.logout()
    assert client.get(f"/applications/{application.pk}/permit/").status_code == 302


def test_the_detail_page_shows_the_permit_panel(english, applicant, organization, settings):
    application = issued(organization, settings)
    permit = application.permit
    english.force_login(applicant)
    body = english.get(f"/applications/{application.pk}/").content.decode()
    panel = body.split('data-testid="permit-panel"')[1].split("</section>")[0]
    assert permit.number in panel and permit.verification_code in panel
    assert 'data-status="valid"' in panel and "Valid" in panel
    assert f'href="/applications/{application.pk}/permit/"' in panel
    assert f'href="/verify/{permit.verification_code}/"' in panel
    # Before the trip the report is not due yet, but its date is shown.
    assert 'data-testid="report-due"' in body and 'data-overdue="false"' in body

    services.permit_revoke(application, reason="行程取消")
    body = english.get(f"/applications/{application.pk}/").content.decode()
    assert 'data-status="revoked"' in body and "行程取消" in body


def test_while_waiting_the_detail_page_links_the_open_notice(
    english, applicant, officer, organization, settings, django_capture_on_commit_callbacks
):
    settings.DISCLOSURE_WORKING_DAYS = 5
    application = ApplicationFactory(organization=organization, in_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_transition(application=application, actor=officer, name="approve")
    notice = application.disclosures.get()
    english.force_login(applicant)
    body = english.get(f"/applications/{application.pk}/").content.decode()
    waiting = body.split('data-testid="permit-waiting"')[1].split("</section>")[0]
    assert 'data-testid="permit-waits-for-notice"' in waiting and f'href="/notices/{notice.pk}/"' in waiting
    assert 'data-testid="permit-panel"' not in body
    notices = body.split('data-testid="application-notices"')[1]
    assert 'data-kind="trip"' in notices and 'data-outcome="open"' in notices

    services.objection_file(disclosure=notice, text="成员时间冲突")
    body = english.get(f"/applications/{application.pk}/").content.decode()
    assert "1 objection awaits the office" in body and "成员时间冲突" not in body


def test_the_permit_being_prepared_or_failing_is_explained_without_the_technical_error(
    english, applicant, officer, organization, settings
):
    settings.DISCLOSURE_WORKING_DAYS = 5
    application = ApplicationFactory(organization=organization, approved=True)
    english.force_login(applicant)
    assert (
        'data-testid="permit-preparing"' in english.get(f"/applications/{application.pk}/").content.decode()
    )
    TravelApplication.objects.filter(pk=application.pk).update(permit_error="OSError: font missing")
    body = english.get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="permit-delayed"' in body and "The office has been told" in body
    assert "font missing" not in body
    english.force_login(officer)
    body = english.get(f"/applications/{application.pk}/").content.decode()
    assert 'data-testid="permit-error"' in body and "OSError: font missing" in body


def test_the_post_trip_report_is_submitted_with_its_attachments(
    english, applicant, organization, settings, django_capture_on_commit_callbacks
):
    application = issued(organization, settings, departure=date.today() - timedelta(days=20))
    settings.DISCLOSURE_WORKING_DAYS = 5
    english.force_login(applicant)
    page = english.get(f"/applications/{application.pk}/").content.decode()
    form = page.split('data-testid="report-form"')[1].split("</form>")[0]
    for name in ("summary", "outcomes", "agreements", "actual_return_date", "actual_spending", "files"):
        assert f'name="{name}"' in form, name
    assert "Actual spending (CNY)" in form and "multiple" in form
    assert 'enctype="multipart/form-data"' in page.split('data-testid="report-form"')[0][-400:]

    returned = (date.today() - timedelta(days=13)).isoformat()
    files = [
        SimpleUploadedFile("minutes.pdf", pdf_bytes("Minutes"), content_type="application/pdf"),
        SimpleUploadedFile("agreement.pdf", pdf_bytes("Agreement"), content_type="application/pdf"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(
            f"/applications/{application.pk}/transition/submit_report/",
            {
                "summary": "走访三家合作伙伴。",
                "outcomes": "确定物流合作方案",
                "agreements": "与 Hamburg Logistics AG 签署合作备忘录",
                "actual_return_date": returned,
                "actual_spending": "98000.50",
                "files": files,
            },
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.REPORT_SUBMITTED
    assert application.report_agreements == "与 Hamburg Logistics AG 签署合作备忘录"
    assert str(application.actual_spending) == "98000.50"
    documents = Document.objects.filter(organization=organization, kind="report")
    assert sorted(documents.values_list("original_name", flat=True)) == ["agreement.pdf", "minutes.pdf"]
    assert all(
        title.startswith(f"{application.reference} ") for title in documents.values_list("title", flat=True)
    )
    assert application.disclosures.filter(kind="report", outcome="open").exists()

    body = english.get(f"/applications/{application.pk}/").content.decode()
    report = body.split('data-testid="report"')[1].split("</section>")[0]
    assert "走访三家合作伙伴。" in report and "确定物流合作方案" in report and "签署合作备忘录" in report
    assert "98,000.50 CNY" in report and "minutes.pdf" in report and "agreement.pdf" in report
    assert 'data-testid="report-form"' not in body
    # Another trip of the organisation does not list these files.
    other = ApplicationFactory(organization=organization, report_submitted=True)
    assert "minutes.pdf" not in english.get(f"/applications/{other.pk}/").content.decode()


def test_a_refused_report_keeps_what_was_typed_and_stores_no_file(english, applicant, organization, settings):
    application = issued(organization, settings, departure=date.today() - timedelta(days=20))
    english.force_login(applicant)
    url = f"/applications/{application.pk}/transition/submit_report/"
    text_file = SimpleUploadedFile("notes.pdf", b"just text", content_type="application/pdf")
    response = english.post(
        url,
        {
            "summary": "走访三家合作伙伴。",
            "actual_return_date": (date.today() + timedelta(days=2)).isoformat(),
            "actual_spending": "-5",
            "files": [text_file],
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'data-testid="report-errors"' in body
    assert "走访三家合作伙伴。" in body and "cannot be in the future" in body and "notes.pdf" in body
    assert "Choose the attachments again" in body
    application.refresh_from_db()
    assert application.state == State.PERMIT_ISSUED and not Document.objects.filter(kind="report").exists()


def test_an_overdue_report_is_shown_prominently(english, applicant, organization, settings):
    application = issued(organization, settings, departure=date.today() - timedelta(days=40))
    english.force_login(applicant)
    body = english.get(f"/applications/{application.pk}/").content.decode()
    due = body.split('data-testid="report-due"')[1].split("</div>")[0]
    assert 'data-overdue="true"' in body.split('data-testid="report-due"')[1][:40]
    days = (date.today() - application.report_due_on).days
    assert f"{days} days late" in due and "Overdue" in due
