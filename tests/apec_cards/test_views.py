"""The browser pages of APEC cards: the public guide and self-check, the organisation's applications
(list, form, documents, detail, actions) and cards (list, detail, letter, report lost, cancel, follow-up
applications). Scoping answers 404 outside the organisation; service errors never give a 500."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apec_cards import services
from apec_cards.models import Card, CardApplication, Economy
from apec_cards.tasks import render_letter
from apec_cards.workflow import CardState, State
from foreign_affairs.audit.models import AuditEvent
from tests.factories import enterprise_user

from .helpers import card_person, decide, draft, issued_card, pdf_upload, png_upload, run, to_preclearance

pytestmark = pytest.mark.django_db

APPLICATIONS = "/apec/applications/"
CARDS = "/apec/cards/"


@pytest.fixture
def english(client):
    """Pages in English, so that assertions read the source strings whatever is translated."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def as_user(english):
    def sign_in(user):
        english.force_login(user)
        return english

    return sign_in


@pytest.fixture
def person(organization):
    return card_person(organization, full_name="张三", pinyin_name="ZHANG SAN")


def form_data(holder, **changes) -> dict:
    data = {
        "person": holder.pk,
        "kind": "new",
        "economies": ["AU", "JP"],
        "justification": "负责澳大利亚和日本市场，每年出差六次以上。",
        "travel_history": "2025-03 悉尼 展会",
        "replacement_reason": "",
        "passport_number": "",
        "passport_expiry": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def text(response) -> str:
    return response.content.decode()


# The public pages ------------------------------------------------------------------------------------------


def test_the_guide_is_public_and_lists_every_economy_with_its_participation(english):
    response = english.get("/apec/")
    assert response.status_code == 200
    page = text(response)
    assert page.count('data-economy="') == Economy.objects.count() == 21
    assert "澳大利亚" in page and "Australia" in page
    assert page.count("Transitional: fast-track lanes only") == 2
    assert "Canada, United States: transitional members." in page
    assert "No fee is charged by the office." in page
    assert "three to four months" in page
    assert "/apec/eligibility/" in page
    assert 'href="/accounts/login/?next=/apec/applications/new/"' in page
    assert 'data-testid="guide-mine"' not in page


def test_the_guide_shows_the_fee_from_the_settings(english, settings):
    settings.APEC_CARD_FEE_CNY = 300
    assert '<p data-testid="fee">The office\'s fee is 300 CNY per card.</p>' in text(english.get("/apec/"))


def test_the_guide_renders_in_chinese_by_default(client):
    response = client.get("/apec/")
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in text(response)


def test_signed_in_staff_see_their_applications_and_cards_on_the_guide(as_user, applicant):
    page = text(as_user(applicant).get("/apec/"))
    assert 'data-testid="guide-mine"' in page
    assert 'href="/apec/applications/"' in page and 'href="/apec/cards/"' in page
    assert 'data-testid="guide-apply"' in page


def test_the_navigation_and_the_home_page_lead_to_the_guide(english):
    page = text(english.get("/"))
    assert page.count('href="/apec/"') >= 2  # the menu item and area 1's service
    guide = text(english.get("/apec/"))
    assert 'class="nav-link active" href="/apec/" aria-current="page"' in guide


def test_the_self_check_is_public_and_asks_before_answering(english):
    response = english.get("/apec/eligibility/")
    assert response.status_code == 200
    assert 'data-testid="eligibility-form"' in text(response)
    assert 'data-testid="eligibility-result"' not in text(response)
    assert 'data-testid="error-summary"' not in text(response)


def test_the_self_check_answers_a_visitor_and_sends_them_to_sign_in(english):
    response = english.get(
        "/apec/eligibility/", {"employer": "yes", "travel": "yes", "passport": "valid", "card": "none"}
    )
    page = text(response)
    assert 'data-outcome="apply"' in page and 'data-kind="new"' in page
    assert "/accounts/login/?next=%2Fapec%2Fapplications%2Fnew%2F" in page
    assert "Sign in and apply" in page


def test_the_self_check_sends_a_signed_in_applicant_straight_to_the_form(as_user, applicant):
    page = text(
        as_user(applicant).get(
            "/apec/eligibility/", {"employer": "yes", "travel": "yes", "passport": "valid", "card": "none"}
        )
    )
    assert 'href="/apec/applications/new/" data-step="apply"' in page


def test_the_self_check_says_when_a_renewal_opens_and_points_to_the_cards(english):
    expiry = timezone.localdate() + timedelta(days=900)
    page = text(
        english.get(
            "/apec/eligibility/",
            {"employer": "yes", "travel": "yes", "passport": "valid", "card": "valid", "card_expiry": expiry},
        )
    )
    assert 'data-outcome="not_yet"' in page
    assert 'data-testid="opens-on"' in page
    assert 'data-step="cards"' in page


def test_the_self_check_lists_unanswered_questions(english):
    response = english.get("/apec/eligibility/", {"employer": "yes"})
    assert response.status_code == 200
    page = text(response)
    assert 'data-testid="error-summary"' in page
    assert 'href="#id_travel"' in page and 'href="#id_card"' in page
    assert 'data-testid="eligibility-result"' not in page


def test_the_self_check_refuses_nonsense_without_an_error(english):
    response = english.get("/apec/eligibility/", {"employer": "maybe", "card_expiry": "not a date"})
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in text(response)


@pytest.mark.parametrize(
    "url",
    [
        APPLICATIONS,
        f"{APPLICATIONS}new/",
        f"{APPLICATIONS}1/",
        f"{APPLICATIONS}1/edit/",
        CARDS,
        f"{CARDS}1/",
        f"{CARDS}1/letter/",
    ],
)
def test_everything_but_the_guide_and_the_self_check_needs_signing_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# The list of applications ---------------------------------------------------------------------------


def test_the_list_shows_the_organisations_applications_only(as_user, applicant, other_applicant, person):
    own = draft(applicant, person)
    other = draft(other_applicant, card_person(other_applicant.organization))
    page = text(as_user(applicant).get(APPLICATIONS))
    assert own.reference in page and other.reference not in page
    assert 'data-testid="new-application"' in page


def test_an_empty_list_says_what_to_do(as_user, applicant):
    page = text(as_user(applicant).get(APPLICATIONS))
    assert 'data-testid="empty-state"' in page
    assert 'href="/apec/applications/new/"' in page


def test_the_list_searches_and_filters_by_state_and_kind(as_user, applicant, liaison, organization):
    first = draft(applicant, card_person(organization, full_name="王五"))
    second = run(draft(applicant, card_person(organization, full_name="赵六")), applicant, "submit")
    client = as_user(applicant)
    assert first.reference in text(client.get(APPLICATIONS, {"search": "王五"}))
    assert second.reference not in text(client.get(APPLICATIONS, {"search": "王五"}))
    submitted = text(client.get(APPLICATIONS, {"state": "submitted"}))
    assert second.reference in submitted and first.reference not in submitted
    assert 'data-testid="empty-state"' in text(client.get(APPLICATIONS, {"kind": "renewal"}))
    assert first.reference in text(client.get(APPLICATIONS, {"kind": "new", "state": "draft"}))
    # Nonsense in the query string is ignored, not an error.
    assert client.get(APPLICATIONS, {"state": "nope", "page": "x"}).status_code == 200


def test_the_liaison_is_shown_what_awaits_endorsement(as_user, applicant, liaison, person):
    application = run(draft(applicant, person), applicant, "submit")
    client = as_user(liaison)
    page = text(client.get(APPLICATIONS))
    assert 'data-testid="awaiting-endorsement"' in page and 'href="?state=submitted"' in page
    queue = text(client.get(APPLICATIONS, {"state": "submitted"}))
    assert "Awaiting your endorsement" in queue and application.reference in queue
    assert 'data-testid="awaiting-endorsement"' not in text(as_user(applicant).get(APPLICATIONS))


def test_office_staff_see_every_organisations_applications(as_user, applicant, other_applicant, officer):
    own = draft(applicant, card_person(applicant.organization))
    other = draft(other_applicant, card_person(other_applicant.organization))
    page = text(as_user(officer).get(APPLICATIONS))
    assert own.reference in page and other.reference in page
    assert 'data-testid="new-application"' not in page


def test_the_list_pages_through_many_applications(as_user, applicant, organization):
    for _index in range(22):
        draft(applicant, card_person(organization), attach=False)
    client = as_user(applicant)
    first = text(client.get(APPLICATIONS))
    assert first.count('<tr data-state="draft">') == 20
    assert "?page=2" in first
    assert text(client.get(APPLICATIONS, {"page": 2})).count('<tr data-state="draft">') == 2


def test_the_list_queries_do_not_grow_with_the_rows(
    as_user, applicant, liaison, organization, django_assert_max_num_queries
):
    client = as_user(liaison)
    for _index in range(2):
        run(draft(applicant, card_person(organization)), applicant, "submit")
    client.get(APPLICATIONS)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(APPLICATIONS)
    for _index in range(12):
        run(draft(applicant, card_person(organization)), applicant, "submit")
    with django_assert_max_num_queries(len(few)):
        response = client.get(APPLICATIONS)
    assert text(response).count('<tr data-state="submitted">') == 14


# The form ------------------------------------------------------------------------------------------------


def test_the_form_offers_the_organisations_travellers_and_the_preclearing_economies(
    as_user, applicant, person, other_applicant
):
    stranger = card_person(other_applicant.organization, full_name="外人")
    page = text(as_user(applicant).get(f"{APPLICATIONS}new/"))
    assert f'value="{person.pk}"' in page and f'value="{stranger.pk}"' not in page
    assert page.count('name="economies"') == Economy.objects.preclearing().count() == 18
    assert 'value="CN"' not in page and 'value="US"' not in page
    assert 'data-select-all="economies"' in page
    assert 'data-show-if="kind=replacement"' in page


def test_the_form_is_prefilled_from_a_cards_page(as_user, applicant, person, other_applicant):
    client = as_user(applicant)
    page = text(client.get(f"{APPLICATIONS}new/", {"kind": "renewal", "person": person.pk}))
    assert f'<option value="{person.pk}" selected>' in page
    assert 'value="renewal" class="form-check-input" id="id_kind_1" required checked>' in page
    # Someone else's traveller and nonsense are ignored.
    stranger = card_person(other_applicant.organization)
    assert client.get(f"{APPLICATIONS}new/", {"kind": "x", "person": stranger.pk}).status_code == 200


def test_a_draft_is_created_through_the_form(as_user, applicant, person):
    response = as_user(applicant).post(f"{APPLICATIONS}new/", form_data(person))
    application = CardApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{APPLICATIONS}{application.pk}/#documents"
    assert (application.state, application.kind, application.person) == (State.DRAFT, "new", person)
    assert sorted(application.economies.values_list("code", flat=True)) == ["AU", "JP"]
    assert application.passport_number == person.passport_number


def test_a_new_passport_can_be_given_on_the_form(as_user, applicant, person):
    expiry = timezone.localdate() + timedelta(days=3000)
    as_user(applicant).post(
        f"{APPLICATIONS}new/",
        form_data(person, passport_number="EJ1234567", passport_expiry=expiry.isoformat()),
    )
    application = CardApplication.objects.get()
    assert (application.passport_number, application.passport_expiry) == ("EJ1234567", expiry)


def test_form_errors_are_summarised_and_keep_what_was_typed(as_user, applicant, person):
    client = as_user(applicant)
    response = client.post(
        f"{APPLICATIONS}new/",
        form_data(
            person,
            person="",
            justification="",
            economies=[],
            passport_number="E12345678",
            travel_history="记得",
        ),
    )
    assert response.status_code == 400
    page = text(response)
    assert 'id="error-summary"' in page
    for anchor in ("#id_person", "#id_justification", "#id_economies", "#id_passport_expiry"):
        assert f'href="{anchor}"' in page
    assert "记得" in page
    response = client.post(
        f"{APPLICATIONS}new/", form_data(person, passport_number="护照", passport_expiry="2035-01-01")
    )
    assert response.status_code == 400
    assert 'href="#id_passport_number"' in text(response)
    assert not CardApplication.objects.exists()


def test_the_services_refusals_come_back_beside_the_fields(as_user, applicant, person):
    client = as_user(applicant)
    # No card to replace: the service says so on the kind.
    response = client.post(
        f"{APPLICATIONS}new/", form_data(person, kind="replacement", replacement_reason="丢失")
    )
    assert response.status_code == 400
    assert "holds no card to renew or replace" in text(response)
    # A second open application for the same person.
    draft(applicant, person)
    response = client.post(f"{APPLICATIONS}new/", form_data(person))
    assert response.status_code == 400
    assert "already has an APEC card application in progress" in text(response)
    assert CardApplication.objects.count() == 1


def test_office_staff_cannot_start_an_application(as_user, officer):
    response = as_user(officer).get(f"{APPLICATIONS}new/")
    assert response.status_code == 403
    assert 'data-testid="problem"' in text(response)


def test_a_draft_is_changed_but_not_once_submitted(as_user, applicant, person):
    application = draft(applicant, person)
    client = as_user(applicant)
    edit = f"{APPLICATIONS}{application.pk}/edit/"
    page = text(client.get(edit))
    assert "负责东南亚" in page and 'value="SG"' in page
    response = client.post(edit, form_data(person, economies=["NZ"], justification="新的理由"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.justification == "新的理由"
    assert list(application.economies.values_list("code", flat=True)) == ["NZ"]
    run(application, applicant, "submit")
    response = client.get(edit)
    assert response.status_code == 409
    assert client.post(edit, form_data(person)).status_code == 409


def test_a_changed_passport_stays_on_the_edit_form(as_user, applicant, person):
    expiry = timezone.localdate() + timedelta(days=3000)
    application = draft(applicant, person, passport_number="EJ7654321", passport_expiry=expiry)
    page = text(as_user(applicant).get(f"{APPLICATIONS}{application.pk}/edit/"))
    assert 'value="EJ7654321"' in page


# Another organisation's objects are not found ------------------------------------------------------------


def test_another_organisations_application_and_card_are_not_found(
    as_user, applicant, liaison, officer, other_applicant, person
):
    application = draft(applicant, person)
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    attachment = application.attachments.first()
    client = as_user(other_applicant)
    base = f"{APPLICATIONS}{application.pk}/"
    for url in (base, f"{base}edit/", f"{CARDS}{card.pk}/", f"{CARDS}{card.pk}/letter/"):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"{base}transition/", {"name": "withdraw", "comment": "x"}),
        (f"{base}attachments/", {"kind": "other"}),
        (f"{base}attachments/{attachment.pk}/remove/", {}),
        (f"{CARDS}{card.pk}/transition/", {"name": "report_lost", "comment": "x"}),
    ):
        assert client.post(url, data).status_code == 404, url
    application.refresh_from_db()
    card.refresh_from_db()
    assert (application.state, card.state) == (State.DRAFT, CardState.ACTIVE)
    assert application.attachments.count() == 2


# The detail page, documents and actions ---------------------------------------------------------------------


def test_a_draft_shows_what_is_missing_and_takes_the_documents(as_user, applicant, person):
    application = draft(applicant, person, attach=False)
    client = as_user(applicant)
    url = f"{APPLICATIONS}{application.pk}/"
    page = text(client.get(url))
    assert 'data-code="passport_page_missing"' in page and 'data-code="photo_missing"' in page
    assert 'data-transition="submit"' in page and 'data-testid="upload-form"' in page
    assert "Complete the application and submit it" in page

    response = client.post(f"{url}attachments/", {"kind": "passport", "file": pdf_upload()})
    assert response.status_code == 302 and response["Location"].endswith("#documents")
    response = client.post(f"{url}attachments/", {"kind": "photo", "file": png_upload()})
    page = text(client.get(url))
    assert 'data-testid="complete"' in page
    assert '<tr data-kind="passport">' in page and '<tr data-kind="photo">' in page

    attachment = application.attachments.get(kind="photo")
    response = client.post(f"{url}attachments/{attachment.pk}/remove/")
    assert response.status_code == 302
    assert not application.attachments.filter(kind="photo").exists()
    assert AuditEvent.objects.timeline_for(application).filter(action="card_application.detach").exists()


def test_a_bad_upload_is_explained_beside_the_field(as_user, applicant, person):
    application = draft(applicant, person, attach=False)
    client = as_user(applicant)
    url = f"{APPLICATIONS}{application.pk}/attachments/"
    response = client.post(url, {"kind": "photo", "file": pdf_upload("photo.pdf")})
    assert response.status_code == 400
    assert 'data-testid="upload-error"' in text(response) and "JPEG or PNG" in text(response)
    fake = SimpleUploadedFile("passport.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(url, {"kind": "passport", "file": fake})
    assert response.status_code == 400
    assert client.post(url, {"kind": "nonsense"}).status_code == 400
    assert not application.attachments.exists()


def test_documents_are_fixed_once_submitted(as_user, applicant, person):
    application = run(draft(applicant, person), applicant, "submit")
    client = as_user(applicant)
    page = text(client.get(f"{APPLICATIONS}{application.pk}/"))
    assert 'data-testid="upload-form"' not in page and 'data-testid="remove-' not in page
    response = client.post(
        f"{APPLICATIONS}{application.pk}/attachments/", {"kind": "other", "file": png_upload()}
    )
    assert response.status_code == 302
    assert application.attachments.count() == 2


def test_submitting_an_incomplete_application_shows_what_is_missing(as_user, applicant, person):
    application = draft(applicant, person, attach=False)
    response = as_user(applicant).post(f"{APPLICATIONS}{application.pk}/transition/", {"name": "submit"})
    assert response.status_code == 400
    page = text(response)
    assert 'data-testid="rules-failed"' in page and 'data-code="passport_page_missing"' in page
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_submit_then_the_liaison_endorses_through_the_pages(as_user, applicant, liaison, person):
    application = draft(applicant, person)
    url = f"{APPLICATIONS}{application.pk}/"
    response = as_user(applicant).post(f"{url}transition/", {"name": "submit"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED

    # The applicant cannot endorse: a plain refusal, nothing changes.
    page = text(as_user(applicant).get(url))
    assert 'data-transition="endorse"' not in page and 'data-transition="withdraw"' in page
    response = as_user(applicant).post(f"{url}transition/", {"name": "endorse"})
    assert response.status_code == 403

    client = as_user(liaison)
    page = text(client.get(url))
    assert 'data-transition="endorse"' in page and 'data-transition="return_for_changes"' in page
    response = client.post(f"{url}transition/", {"name": "endorse"}, follow=True)
    assert f"is done: {application.reference} is now" in text(response)
    application.refresh_from_db()
    assert (application.state, application.endorsed_by) == (State.ENDORSED, liaison)
    # Endorsing twice is a conflict, said in words.
    response = client.post(f"{url}transition/", {"name": "endorse"}, follow=True)
    assert response.status_code == 200 and "alert-danger" in text(response)


def test_returning_needs_a_comment_which_the_timeline_shows(as_user, applicant, liaison, person):
    application = run(draft(applicant, person), applicant, "submit")
    url = f"{APPLICATIONS}{application.pk}/"
    client = as_user(liaison)
    response = client.post(f"{url}transition/", {"name": "return_for_changes", "comment": " "})
    assert response.status_code == 400
    assert '<details class="transition-confirm" open>' in text(response)
    assert 'id="id_return_for_changes_comment_error"' in text(response)
    client.post(f"{url}transition/", {"name": "return_for_changes", "comment": "请补充出访记录"})
    application.refresh_from_db()
    assert application.state == State.RETURNED
    page = text(as_user(applicant).get(url))
    assert "请补充出访记录" in page and 'data-transition="resubmit"' in page
    assert 'data-testid="edit"' in page


def test_withdrawing_asks_for_a_reason(as_user, applicant, person):
    application = draft(applicant, person)
    client = as_user(applicant)
    url = f"{APPLICATIONS}{application.pk}/transition/"
    assert client.post(url, {"name": "withdraw"}).status_code == 400
    client.post(url, {"name": "withdraw", "comment": "不再需要"})
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN


def test_unknown_actions_are_not_found(as_user, applicant, person):
    application = draft(applicant, person)
    client = as_user(applicant)
    assert client.post(f"{APPLICATIONS}{application.pk}/transition/", {"name": "explode"}).status_code == 404
    assert client.get(f"{APPLICATIONS}{application.pk}/transition/").status_code == 405


def test_officer_actions_are_refused_to_enterprise_users(as_user, applicant, liaison, person):
    application = run(run(draft(applicant, person), applicant, "submit"), liaison, "endorse")
    response = as_user(liaison).post(f"{APPLICATIONS}{application.pk}/transition/", {"name": "start_review"})
    assert response.status_code == 403
    assert 'data-testid="problem"' in text(response)


@pytest.mark.parametrize("role", ["applicant", "liaison", "officer"])
def test_the_detail_page_renders_in_every_state_for_every_role(
    request, as_user, applicant, liaison, officer, organization, role
):
    viewer = request.getfixturevalue(role)
    client = as_user(viewer)
    states = {}
    states["draft"] = draft(applicant, card_person(organization))
    states["submitted"] = run(draft(applicant, card_person(organization)), applicant, "submit")
    states["returned"] = run(states["submitted"], liaison, "return_for_changes", "补充材料")
    states["submitted"] = run(draft(applicant, card_person(organization)), applicant, "submit")
    states["endorsed"] = run(
        run(draft(applicant, card_person(organization)), applicant, "submit"), liaison, "endorse"
    )
    states["in_review"] = run(states["endorsed"], officer, "start_review")
    states["endorsed"] = run(
        run(draft(applicant, card_person(organization)), applicant, "submit"), liaison, "endorse"
    )
    states["pre_clearance"] = to_preclearance(
        draft(applicant, card_person(organization)), applicant=applicant, liaison=liaison, officer=officer
    )
    decide(states["pre_clearance"], officer, "JP", "refused")
    issued = to_preclearance(
        draft(applicant, card_person(organization)), applicant=applicant, liaison=liaison, officer=officer
    )
    decide(issued, officer, "AU")
    states["issued"] = run(issued, officer, "issue")
    states["rejected"] = run(
        run(run(draft(applicant, card_person(organization)), applicant, "submit"), liaison, "endorse"),
        officer,
        "reject",
        "理由不足",
    )
    states["withdrawn"] = run(draft(applicant, card_person(organization)), applicant, "withdraw")
    for state, application in states.items():
        response = client.get(f"{APPLICATIONS}{application.pk}/")
        assert response.status_code == 200, state
        page = text(response)
        assert f'data-state="{state}"' in page, state
        assert 'data-testid="timeline"' in page
    page = text(client.get(f"{APPLICATIONS}{states['pre_clearance'].pk}/"))
    assert 'data-decision="refused"' in page and 'data-decision="pending"' in page
    assert "Awaiting the answer" in page and "· Japan: Refused" in page  # the timeline names the answer
    assert 'data-testid="card-link"' in text(client.get(f"{APPLICATIONS}{states['issued'].pk}/"))
    # The list shows them all, with the pre-clearance counts.
    listing = text(client.get(APPLICATIONS))
    assert "1 approved" in listing and "1 refused" in listing


# Cards ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def card(applicant, liaison, officer, person):
    return issued_card(
        applicant=applicant, liaison=liaison, officer=officer, person=person, approve=("AU", "JP")
    )


def test_the_card_list_and_its_expiry_filter(as_user, applicant, card, other_applicant):
    client = as_user(applicant)
    page = text(client.get(CARDS))
    assert card.number in page and "renewal from" in page
    assert card.number in text(client.get(CARDS, {"expiry": "later"}))
    assert 'data-testid="empty-state"' in text(client.get(CARDS, {"expiry": "6m"}))
    assert 'data-testid="empty-state"' in text(client.get(CARDS, {"state": "cancelled"}))
    assert card.number in text(client.get(CARDS, {"search": "张三"}))
    assert client.get(CARDS, {"expiry": "soon", "page": "-1"}).status_code == 200
    assert card.number not in text(as_user(other_applicant).get(CARDS))


def test_the_card_list_queries_do_not_grow_with_the_rows(
    as_user, applicant, liaison, officer, organization, django_assert_max_num_queries
):
    issued_card(applicant=applicant, liaison=liaison, officer=officer)
    client = as_user(applicant)
    client.get(CARDS)
    with CaptureQueriesContext(connection) as few:
        client.get(CARDS)
    for _index in range(6):
        issued_card(applicant=applicant, liaison=liaison, officer=officer)
    with django_assert_max_num_queries(len(few)):
        response = client.get(CARDS)
    assert text(response).count('<tr data-state="active">') == 7


def test_the_card_page_shows_the_economies_the_waiting_ones_and_the_letter(as_user, applicant, card):
    client = as_user(applicant)
    response = client.get(f"{CARDS}{card.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert card.number in page and card.verification_code in page
    assert '<tr data-economy="AU">' in page and '<tr data-economy="JP">' in page
    assert 'data-testid="pending-economies"' in page and "Singapore" in page
    # The letter is rendered after commit by a task: until then it is being prepared.
    assert 'data-testid="letter-pending"' in page
    assert client.get(f"{CARDS}{card.pk}/letter/").status_code == 404
    render_letter.apply(args=[card.pk])
    page = text(client.get(f"{CARDS}{card.pk}/"))
    assert 'data-testid="letter-download"' in page
    response = client.get(f"{CARDS}{card.pk}/letter/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_renewal_opens_six_months_before_expiry(as_user, applicant, card):
    client = as_user(applicant)
    page = text(client.get(f"{CARDS}{card.pk}/"))
    assert 'data-testid="renewal-opens"' in page and 'data-follow-up="renewal"' not in page
    assert 'data-follow-up="passport_change"' in page and 'data-follow-up="replacement"' in page
    opens = services.current_card(card.holder).expires_on - timedelta(days=170)
    with time_machine.travel(timezone.make_aware(datetime.combine(opens, time(10))), tick=False):
        client.force_login(applicant)  # the first session has long expired
        page = text(client.get(f"{CARDS}{card.pk}/"))
        assert f'href="/apec/applications/new/?kind=renewal&amp;person={card.holder_id}"' in page
        assert 'data-testid="renewal-opens"' not in page
        assert "Renewal open now" in text(client.get(CARDS))


def test_reporting_a_card_lost_then_applying_for_a_replacement(as_user, applicant, card):
    client = as_user(applicant)
    url = f"{CARDS}{card.pk}/"
    page = text(client.get(url))
    assert 'data-transition="report_lost"' in page and 'data-transition="cancel"' not in page
    assert client.post(f"{url}transition/", {"name": "report_lost"}).status_code == 400
    response = client.post(f"{url}transition/", {"name": "report_lost", "comment": "在机场丢失"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.state, card.end_reason) == (CardState.REPORTED_LOST, "在机场丢失")
    page = text(client.get(url))
    assert 'data-state="reported_lost"' in page and "在机场丢失" in page
    assert 'data-follow-up="replacement"' in page and 'data-follow-up="renewal"' not in page
    # The replacement through the form keeps the card's economies.
    response = client.post(
        f"{APPLICATIONS}new/",
        form_data(card.holder, kind="replacement", economies=[], replacement_reason="在机场丢失"),
    )
    assert response.status_code == 302
    application = CardApplication.objects.get(kind="replacement")
    assert application.replaces_card == card
    page = text(client.get(url))
    assert 'data-testid="open-application"' in page and application.reference in page
    assert 'data-follow-up="replacement"' not in page


def test_only_the_liaison_cancels_a_card_and_says_why(as_user, applicant, liaison, card):
    url = f"{CARDS}{card.pk}/transition/"
    assert as_user(applicant).post(url, {"name": "cancel", "comment": "离职"}).status_code == 403
    client = as_user(liaison)
    assert 'data-transition="cancel"' in text(client.get(f"{CARDS}{card.pk}/"))
    response = client.post(url, {"name": "cancel", "comment": ""})
    assert response.status_code == 400
    assert 'id="id_cancel_comment_error"' in text(response)
    client.post(url, {"name": "cancel", "comment": "持卡人已离职"})
    card.refresh_from_db()
    assert card.state == CardState.CANCELLED
    page = text(client.get(f"{CARDS}{card.pk}/"))
    assert 'data-testid="actions"' not in page
    assert 'data-testid="pending-economies"' not in page  # late answers no longer join it
    assert "持卡人已离职" in page
    # A second try is a conflict in words, and an unknown action is not found.
    assert client.post(url, {"name": "cancel", "comment": "x"}, follow=True).status_code == 200
    assert client.post(url, {"name": "expire"}).status_code == 404


def test_office_staff_see_any_card(as_user, officer, card):
    response = as_user(officer).get(f"{CARDS}{card.pk}/")
    assert response.status_code == 200
    assert 'data-follow-up="renewal"' not in text(response)
    assert card.number in text(as_user(officer).get(CARDS))


def test_a_replaced_card_links_to_its_successor(as_user, applicant, liaison, officer, card):
    application = draft(applicant, card.holder, kind="passport_change", economies=None)
    services.application_update(
        application=application,
        actor=applicant,
        data={"passport_number": "EN9998887", "passport_expiry": card.passport_expiry + timedelta(days=400)},
    )
    application = run(run(run(application, applicant, "submit"), liaison, "endorse"), officer, "start_review")
    run(application, officer, "issue")
    successor = Card.objects.get(replaces=card)
    page = text(as_user(applicant).get(f"{CARDS}{card.pk}/"))
    assert successor.number in page and 'data-state="replaced"' in page
    assert successor.number in text(as_user(applicant).get(f"{CARDS}{successor.pk}/"))


def test_another_member_of_the_organisation_sees_the_card_too(as_user, organization, card):
    colleague = enterprise_user(organization)
    assert as_user(colleague).get(f"{CARDS}{card.pk}/").status_code == 200
