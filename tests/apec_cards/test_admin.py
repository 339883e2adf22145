"""The back office of APEC cards: the office's queue of card applications, an application's page with its
buttons and the economies' pre-clearance answers, the card registry, the economies, and who may do what."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apec_cards import services
from apec_cards.models import Card, CardApplication, Decision, Economy, PreClearance
from apec_cards.workflow import CardState, State
from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.models import AuditEvent
from tests.factories import enterprise_user, office_user

from .helpers import card_person, decide, draft, issued_card, run

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:apec_cards_cardapplication_changelist")
REGISTRY = reverse("admin:apec_cards_card_changelist")
PENDING_BY_ECONOMY = reverse("admin:apec_cards_cardapplication_pending_by_economy")


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:apec_cards_{name}", args=args)


def change_url(application) -> str:
    return admin_url("cardapplication_change", application.pk)


def transition_url(application) -> str:
    return admin_url("cardapplication_transition", application.pk)


def preclearance_url(application, economy: str) -> str:
    return admin_url("cardapplication_preclearance", application.pk, economy)


def card_url(card) -> str:
    return admin_url("card_change", card.pk)


def answer(economy: str, decision: str = "approved", decided_on=None, note: str = "") -> dict:
    """The pre-clearance form of one economy, as the page posts it."""
    prefix = f"pc-{economy}"
    return {
        f"{prefix}-decision": decision,
        f"{prefix}-decided_on": (decided_on or timezone.localdate()).isoformat(),
        f"{prefix}-note": note,
    }


@pytest.fixture
def as_user(client):
    """Sign `user` in to the back office, in English (the portal's default is Chinese)."""

    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def make(applicant, liaison, officer):
    """A card application of a new traveller, brought to `state` through the services."""

    def build(state: str, *, staff=None, person=None, **draft_kwargs) -> CardApplication:
        author, endorser = staff or (applicant, liaison)
        application = draft(author, person or card_person(author.organization), **draft_kwargs)
        if state == State.DRAFT:
            return application
        if state == State.WITHDRAWN:
            return run(application, author, "withdraw")
        application = run(application, author, "submit")
        if state == State.SUBMITTED:
            return application
        if state == State.RETURNED:
            return run(application, endorser, "return_for_changes", "请补充出访记录。")
        application = run(application, endorser, "endorse")
        if state == State.ENDORSED:
            return application
        application = run(application, officer, "start_review")
        if state == State.IN_REVIEW:
            return application
        if state == State.REJECTED:
            return run(application, officer, "reject", "业务需要不充分。")
        application = run(application, officer, "request_preclearance")
        if state == State.PRE_CLEARANCE:
            return application
        decide(application, officer, "AU")
        return run(application, officer, "issue")

    return build


def listed(response) -> list[int]:
    return [row.pk for row in response.context["cl"].result_list]


def flashed(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def waited(application, days: int) -> None:
    CardApplication.objects.filter(pk=application.pk).update(
        state_changed_at=timezone.now() - timedelta(days=days, hours=1)
    )


# The queue --------------------------------------------------------------------------------------------


def test_queue_shows_what_the_office_must_act_on_longest_waiting_first(as_user, officer, make):
    endorsed = make(State.ENDORSED)
    in_review = make(State.IN_REVIEW)
    pre_clearance = make(State.PRE_CLEARANCE)
    for state in (State.DRAFT, State.SUBMITTED, State.ISSUED, State.REJECTED):
        make(state)
    waited(in_review, 40)
    waited(pre_clearance, 10)

    response = as_user(officer).get(QUEUE)

    assert response.status_code == 200
    assert listed(response) == [in_review.pk, pre_clearance.pk, endorsed.pk]
    state_filter = response.context["cl"].filter_specs[0]
    chosen = [c["display"] for c in state_filter.choices(response.context["cl"]) if c["selected"]]
    assert chosen == ["To act on (endorsed, in review, pre-clearance)"]


def test_queue_state_filter_shows_another_state_or_all(as_user, officer, make):
    submitted = make(State.SUBMITTED)
    issued = make(State.ISSUED)
    endorsed = make(State.ENDORSED)
    client = as_user(officer)

    assert listed(client.get(QUEUE, {"state": "submitted"})) == [submitted.pk]
    assert listed(client.get(QUEUE, {"state": "issued"})) == [issued.pk]
    assert set(listed(client.get(QUEUE, {"state": "all"}))) == {submitted.pk, issued.pk, endorsed.pk}


def test_the_start_pages_link_with_djangos_filter_name_lands_on_the_state(as_user, officer, make):
    make(State.PRE_CLEARANCE)
    client = as_user(officer)

    response = client.get(QUEUE, {"state__exact": "pre_clearance"})

    assert response.status_code == 302
    assert response.url == f"{QUEUE}?state=pre_clearance"


def test_queue_columns(as_user, officer, organization, make):
    application = make(State.PRE_CLEARANCE)
    decide(application, officer, "AU")
    decide(application, officer, "JP", "refused")
    waited(application, 12)

    content = as_user(officer).get(QUEUE).content.decode()

    assert application.reference in content
    assert application.person.full_name in content and application.person.pinyin_name in content
    assert "Zhengzhou Test Trading Co., Ltd." in content
    assert "New card" in content
    assert (
        'class="state-tag state-progress" data-state="pre_clearance">Pre-clearance by the economies<'
        in content
    )
    assert 'data-economies="approved">1 approved<' in content
    assert 'data-economies="pending">1 pending<' in content
    assert 'data-economies="refused">1 refused<' in content
    assert '<td class="field-waiting">12</td>' in content
    assert str(officer) in content  # assigned when the review started
    assert reverse("admin:apec_cards_cardapplication_pending_by_economy") in content


def test_queue_filters_by_kind_economy_waiting_assignment_and_area(
    as_user, officer, make, other_organization
):
    other_staff = (enterprise_user(other_organization), enterprise_user(other_organization, liaison=True))
    luoyang = make(State.ENDORSED, staff=other_staff)
    waiting_au = make(State.PRE_CLEARANCE)
    answered_au = make(State.PRE_CLEARANCE)
    decide(answered_au, officer, "AU")
    early_card = make(State.ISSUED)  # AU approved; JP and SG still awaited after the early card
    renewal = make(State.ENDORSED)
    CardApplication.objects.filter(pk=renewal.pk).update(kind="renewal")
    mine = make(State.ENDORSED)
    services.application_assign(application=mine, actor=officer, officer=officer)
    waited(luoyang, 95)
    waited(renewal, 45)
    client = as_user(officer)

    assert listed(client.get(QUEUE, {"kind__exact": "renewal"})) == [renewal.pk]
    assert listed(client.get(QUEUE, {"economy": "AU"})) == [waiting_au.pk]
    assert set(listed(client.get(QUEUE, {"economy": "JP"}))) == {waiting_au.pk, answered_au.pk, early_card.pk}
    assert listed(client.get(QUEUE, {"economy": "JP", "state": "issued"})) == [early_card.pk]
    assert listed(client.get(QUEUE, {"waiting": "90"})) == [luoyang.pk]
    assert listed(client.get(QUEUE, {"waiting": "30"})) == [luoyang.pk, renewal.pk]
    assigned_to_me = set(listed(client.get(QUEUE, {"assigned": "me"})))
    assert mine.pk in assigned_to_me and luoyang.pk not in assigned_to_me
    assert set(listed(client.get(QUEUE, {"assigned": "nobody"}))) == {luoyang.pk, renewal.pk}
    assert listed(client.get(QUEUE, {"organization__ftz_area__exact": "luoyang"})) == [luoyang.pk]
    economies = client.get(QUEUE).context["cl"].filter_specs[2].lookup_choices
    assert [code for code, _name in economies] == list(
        Economy.objects.preclearing().values_list("code", flat=True)
    )
    assert "CN" not in dict(economies) and "US" not in dict(economies)


def test_queue_search_by_reference_holder_passport_and_organisation_through_every_state(
    as_user, officer, make, other_organization
):
    other_staff = (enterprise_user(other_organization), enterprise_user(other_organization, liaison=True))
    holder = card_person(other_organization, full_name="欧阳明月", pinyin_name="OUYANG MINGYUE")
    target = make(State.ISSUED, staff=other_staff, person=holder)
    other = make(State.ENDORSED)
    person = target.person
    client = as_user(officer)

    assert listed(client.get(QUEUE, {"q": target.reference.lower()})) == [target.pk]
    assert listed(client.get(QUEUE, {"q": person.full_name})) == [target.pk]
    assert listed(client.get(QUEUE, {"q": person.pinyin_name.lower()})) == [target.pk]
    spaced = f"{target.passport_number[:2].lower()} {target.passport_number[2:]}"
    assert listed(client.get(QUEUE, {"q": spaced})) == [target.pk]
    assert listed(client.get(QUEUE, {"q": target.passport_number[:-1]})) == []  # whole numbers only
    assert listed(client.get(QUEUE, {"q": "洛阳测试装备"})) == [target.pk]
    assert listed(client.get(QUEUE, {"q": target.reference, "state": "endorsed"})) == []
    assert other.pk not in listed(client.get(QUEUE, {"q": "洛阳"}))


def test_queue_query_count_does_not_grow_with_rows(
    as_user, officer, applicant, django_assert_max_num_queries
):
    officers = [officer, office_user(Role.OFFICER), None]
    economies = list(Economy.objects.preclearing()[:4])

    def make_rows(count):
        ids = []
        for index in range(count):
            application = draft(
                applicant, card_person(applicant.organization), attach=False, economies=["AU", "JP"]
            )
            ids.append(application.pk)
            CardApplication.objects.filter(pk=application.pk).update(
                state=State.PRE_CLEARANCE if index % 2 else State.IN_REVIEW,
                assigned_officer=officers[index % 3],
            )
            PreClearance.objects.bulk_create(
                [
                    PreClearance(
                        application_id=application.pk,
                        economy=economy,
                        decision=[Decision.PENDING, Decision.APPROVED, Decision.REFUSED][(index + n) % 3],
                        decided_on=None if (index + n) % 3 == 0 else timezone.localdate(),
                    )
                    for n, economy in enumerate(economies)
                ]
            )
        return ids

    client = as_user(officer)
    make_rows(4)
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(QUEUE))) == 4
    make_rows(56)
    with django_assert_max_num_queries(len(few)):
        assert len(listed(client.get(QUEUE))) == 50
    with django_assert_max_num_queries(len(few) + 1):  # the filter's subquery is in the same query
        assert len(listed(client.get(QUEUE, {"economy": "AU", "waiting": "30", "q": "ZHANG"}))) == 0


def test_empty_queue_says_what_to_do(as_user, officer):
    content = as_user(officer).get(QUEUE).content.decode()

    assert 'data-testid="queue-empty"' in content


# Assignment ----------------------------------------------------------------------------------------------


def test_assign_to_me_from_the_list_and_from_the_page(as_user, officer, make):
    first, second = make(State.ENDORSED), make(State.ENDORSED)
    client = as_user(officer)

    response = client.post(QUEUE, {"action": "assign_to_me", "index": 0, "_selected_action": [first.pk]})
    assert response.status_code == 302
    page = client.post(admin_url("cardapplication_assign", second.pk), {"officer": "me"})
    assert page.status_code == 302

    assert CardApplication.objects.filter(assigned_officer=officer).count() == 2
    assert AuditEvent.objects.filter(action="card_application.assign").count() == 2


def test_reassign_to_another_officer(as_user, officer, make):
    colleague = office_user(Role.OFFICER, first_name="芳", last_name="刘")
    application = make(State.IN_REVIEW)  # assigned to the officer who started the review
    client = as_user(officer)

    page = client.get(change_url(application))
    assert f'value="{colleague.pk}"' in page.content.decode()
    client.post(admin_url("cardapplication_assign", application.pk), {"officer": colleague.pk})

    application.refresh_from_db()
    assert application.assigned_officer == colleague
    event = AuditEvent.objects.get(action="card_application.assign")
    assert event.data == {"from": officer.username, "to": colleague.username}
    through_list = client.post(
        QUEUE,
        {
            "action": "assign_to_officer",
            "apply": "1",
            "officer": officer.pk,
            "_selected_action": [application.pk],
        },
    )
    assert through_list.status_code == 302
    application.refresh_from_db()
    assert application.assigned_officer == officer


# The change page ---------------------------------------------------------------------------------------

BUTTONS = {
    State.DRAFT: set(),
    State.SUBMITTED: set(),
    State.RETURNED: set(),
    State.ENDORSED: {"start_review", "return_for_changes", "reject"},
    State.IN_REVIEW: {"request_preclearance", "return_for_changes", "reject"},
    State.PRE_CLEARANCE: {"reject"},  # "issue" once an economy has approved
    State.ISSUED: set(),
    State.REJECTED: set(),
    State.WITHDRAWN: set(),
}


@pytest.mark.parametrize("state", list(BUTTONS))
def test_change_page_shows_the_application_in_every_state(as_user, officer, make, state):
    application = make(state)

    response = as_user(officer).get(change_url(application))

    assert response.status_code == 200
    content = response.content.decode()
    assert application.reference in content
    assert f'data-state="{state}"' in content
    assert f'data-testid="passport-number">{application.passport_number}<' in content  # whole for the office
    assert "负责东南亚及大洋洲市场开拓" in content  # justification
    assert "2025-09 日本 客户拜访" in content  # travel history
    for attachment in application.attachments.all():
        assert reverse("admin:documents_document_download", args=[attachment.document_id]) in content
    assert {button["name"] for button in response.context["transitions"]} == BUTTONS[state]
    assert 'name="_save"' not in content  # read-only
    assert "created the card application" in content  # the timeline
    if state in (State.PRE_CLEARANCE, State.ISSUED):
        assert 'data-economy="JP" data-decision="pending"' in content
        assert 'data-testid="preclearance-form-JP"' in content
    else:
        assert "preclearance-form-" not in content
    if state == State.ISSUED:
        card = Card.objects.get(application=application)
        assert card_url(card) in content and card.number in content
        assert response.context["findings"] is None
    if state == State.ENDORSED:
        assert 'value="reject"' in content and "data-confirm=" in content
        assert response.context["findings"] == []
        assert "The application passes every check." in content


def test_change_page_shows_the_precheck_findings(as_user, officer, make):
    application = make(State.ENDORSED)
    application.attachments.filter(kind="photo").delete()

    response = as_user(officer).get(change_url(application))

    assert "photo_missing" in {finding["code"] for finding in response.context["findings"]}
    assert 'data-code="photo_missing"' in response.content.decode()


def test_change_page_of_a_replacement_shows_the_reason_and_the_card_replaced(
    as_user, applicant, liaison, officer
):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    application = draft(
        applicant, card.holder, kind="replacement", economies=None, replacement_reason="2026年3月在新加坡遗失"
    )
    application = run(run(application, applicant, "submit"), liaison, "endorse")

    content = as_user(officer).get(change_url(application)).content.decode()

    assert "Replacement after loss or damage" in content
    assert "2026年3月在新加坡遗失" in content
    assert f'href="{card_url(card)}" data-testid="replaces-card">{card.number}<' in content


def test_posting_the_change_page_changes_nothing_and_nothing_is_added_or_deleted(as_user, officer, make):
    application = make(State.ENDORSED)
    client = as_user(officer)

    response = client.post(change_url(application), {"reference": "X", "_save": "Save"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.ENDORSED
    assert client.get(admin_url("cardapplication_add")).status_code == 403
    assert client.get(admin_url("cardapplication_delete", application.pk)).status_code == 403
    assert client.get(admin_url("card_add")).status_code == 403


# Transitions and pre-clearance through the admin ---------------------------------------------------------


def test_officer_takes_an_application_from_endorsement_to_pre_clearance(as_user, officer, make):
    application = make(State.ENDORSED)
    client = as_user(officer)

    started = client.post(transition_url(application), {"transition": "start_review"})
    assert started.status_code == 302 and started.url == change_url(application)
    application.refresh_from_db()
    assert (application.state, application.assigned_officer) == (State.IN_REVIEW, officer)
    asked = client.post(transition_url(application), {"transition": "request_preclearance"})

    application.refresh_from_db()
    assert application.state == State.PRE_CLEARANCE
    assert set(application.preclearances.values_list("economy_id", "decision")) == {
        ("AU", "pending"),
        ("JP", "pending"),
        ("SG", "pending"),
    }
    assert flashed(asked)[-1][0] == "success"


def test_early_card_after_one_approval_and_a_late_economy_joins_it(as_user, officer, make):
    application = make(State.PRE_CLEARANCE)
    client = as_user(officer)

    too_early = client.post(transition_url(application), {"transition": "issue"})
    assert flashed(too_early) == [
        ("error", "A card can be issued once at least one economy has approved the applicant.")
    ]
    recorded = client.post(
        preclearance_url(application, "AU"), answer("AU", decided_on=timezone.localdate(), note="领事处函")
    )
    assert recorded.status_code == 302
    assert recorded.url == f"{change_url(application)}#preclearance"
    row = PreClearance.objects.get(application=application, economy="AU")
    assert (row.decision, row.decided_on, row.note, row.recorded_by) == (
        "approved",
        timezone.localdate(),
        "领事处函",
        officer,
    )
    page = client.get(change_url(application))
    assert "issue" in {button["name"] for button in page.context["transitions"]}

    issued = client.post(transition_url(application), {"transition": "issue", "comment": "先行制卡"})

    card = Card.objects.get(application=application)
    assert flashed(issued)[-1] == (
        "success",
        f"Card {card.number} is issued to {application.person.full_name}; it is valid until "
        f"{card.expires_on.strftime('%-d %b %Y')}.",
    )
    assert list(card.card_economies.values_list("economy_id", flat=True)) == ["AU"]
    page = client.get(change_url(application)).content.decode()
    assert f'href="{card_url(card)}" class="card-number" data-testid="card-link">{card.number}<' in page

    late = client.post(preclearance_url(application, "SG"), answer("SG"))
    assert "is added to card" in flashed(late)[-1][1]
    client.post(preclearance_url(application, "JP"), answer("JP", "refused", note="未说明理由"))
    assert sorted(card.card_economies.values_list("economy_id", flat=True)) == ["AU", "SG"]
    assert PreClearance.objects.get(application=application, economy="JP").decision == "refused"


@pytest.mark.parametrize(
    ("economy", "data", "level", "text"),
    [
        ("AU", {"pc-AU-decided_on": "2026-01-01"}, "error", "Decision: This field is required."),
        (
            "AU",
            {"pc-AU-decision": "approved", "pc-AU-decided_on": "tomorrow"},
            "error",
            "Enter a valid date.",
        ),
        ("AU", "future", "error", "The date of the decision cannot be in the future."),
        ("KR", "approved", "error", "This economy was not asked to pre-clear this applicant."),
        ("AU", "before", "error", "The decision cannot be dated before the request."),
    ],
)
def test_pre_clearance_errors_are_messages(as_user, officer, make, economy, data, level, text):
    application = make(State.PRE_CLEARANCE)
    today = timezone.localdate()
    if data == "future":
        data = answer(economy, decided_on=today + timedelta(days=1))
    elif data == "before":
        data = answer(economy, decided_on=today - timedelta(days=3))
    elif data == "approved":
        data = answer(economy)

    response = as_user(officer).post(preclearance_url(application, economy), data)

    assert response.status_code == 302
    assert any(lvl == level and text in message for lvl, message in flashed(response)), flashed(response)
    assert not PreClearance.objects.filter(application=application).exclude(decision="pending").exists()


def test_a_recorded_answer_is_not_changed_and_the_same_answer_twice_is_harmless(as_user, officer, make):
    application = make(State.PRE_CLEARANCE)
    client = as_user(officer)
    client.post(preclearance_url(application, "AU"), answer("AU"))

    again = client.post(preclearance_url(application, "AU"), answer("AU"))
    assert flashed(again)[-1][0] == "success"
    changed = client.post(preclearance_url(application, "AU"), answer("AU", "refused"))

    assert flashed(changed)[-1] == ("error", "The answer of Australia is already recorded.")
    assert PreClearance.objects.get(application=application, economy="AU").decision == "approved"


def test_pre_clearance_before_the_economies_were_asked_is_a_warning(as_user, officer, make):
    application = make(State.IN_REVIEW)

    response = as_user(officer).post(preclearance_url(application, "AU"), answer("AU"))

    assert response.status_code == 302
    assert flashed(response) == [
        ("warning", "Pre-clearance decisions are recorded once the economies have been asked.")
    ]


@pytest.mark.parametrize("name", ["return_for_changes", "reject"])
def test_return_and_reject_need_a_comment(as_user, officer, make, name):
    application = make(State.IN_REVIEW)
    client = as_user(officer)

    refused = client.post(transition_url(application), {"transition": name, "comment": "  "})

    assert flashed(refused) == [("error", "Say why, so that the applicant knows what to do.")]
    application.refresh_from_db()
    assert application.state == State.IN_REVIEW
    client.post(transition_url(application), {"transition": name, "comment": "请补充近三年出访记录。"})
    application.refresh_from_db()
    assert application.state == (State.RETURNED if name == "return_for_changes" else State.REJECTED)


def test_a_refused_comment_is_kept_and_a_stale_button_is_a_warning(as_user, officer, make):
    application = make(State.PRE_CLEARANCE)
    client = as_user(officer)

    client.post(transition_url(application), {"transition": "issue", "comment": "先行制卡"})
    assert "先行制卡" in client.get(change_url(application)).content.decode()
    stale = client.post(transition_url(application), {"transition": "start_review"})
    assert flashed(stale)[0][0] == "warning"
    unknown = client.post(transition_url(application), {"transition": "explode"})
    assert flashed(unknown)[0][0] == "warning"


# Pending pre-clearances by economy -----------------------------------------------------------------------


def test_pending_by_economy_counts_what_is_awaited_and_links_to_the_queue(as_user, officer, make):
    first = make(State.PRE_CLEARANCE)
    make(State.ISSUED)  # JP and SG still awaited after the early card
    decide(first, officer, "SG", "refused")
    rejected = make(State.PRE_CLEARANCE)
    run(rejected, officer, "reject", "不予受理")  # its pending rows no longer count
    client = as_user(officer)

    response = client.get(PENDING_BY_ECONOMY)

    assert response.status_code == 200
    counts = {row["code"]: row["count"] for row in response.context["rows"]}
    assert counts == {"JP": 2, "AU": 1, "SG": 1}
    assert f'href="{QUEUE}?economy=JP"' in response.content.decode()
    assert len(listed(client.get(QUEUE, {"economy": "JP"}))) == 2


# The card registry ---------------------------------------------------------------------------------------


@pytest.fixture
def cards(applicant, liaison, officer, other_organization):
    """Four cards: AU only; AU and SG; one expiring within a month (Luoyang); one expired."""
    today = timezone.localdate()
    plain = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    two = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU", "SG"))
    other = (enterprise_user(other_organization), enterprise_user(other_organization, liaison=True))
    soon = issued_card(applicant=other[0], liaison=other[1], officer=officer)
    expired = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    Card.objects.filter(pk=soon.pk).update(expires_on=today + timedelta(days=20))
    Card.objects.filter(pk=two.pk).update(expires_on=today + timedelta(days=120))
    Card.objects.filter(pk=expired.pk).update(
        issued_on=today - timedelta(days=400),
        term_started_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=3),
    )
    return {"plain": plain, "two": two, "soon": soon, "expired": expired}


def test_registry_columns_and_days_left_colours(as_user, officer, cards):
    response = as_user(officer).get(REGISTRY)

    assert response.status_code == 200
    content = response.content.decode()
    for card in cards.values():
        assert card.number in content
    assert 'class="queue-badge queue-overdue" data-days-left="20">20 days<' in content
    assert 'class="queue-badge queue-rule-warning" data-days-left="120">120 days<' in content
    assert "expired 3 days ago" in content
    assert 'data-state="active">Valid<' in content
    totals = {card.pk: card.economy_total for card in response.context["cl"].result_list}
    assert totals[cards["two"].pk] == 2 and totals[cards["plain"].pk] == 1


def test_registry_filters(as_user, officer, cards):
    services.card_transition(card=cards["plain"], actor=officer, name="report_lost")
    client = as_user(officer)

    def ids(**params):
        return set(listed(client.get(REGISTRY, params)))

    assert ids(state__exact="reported_lost") == {cards["plain"].pk}
    assert ids(expiry="expired") == {cards["expired"].pk}
    assert ids(expiry="1m") == {cards["soon"].pk}
    assert ids(expiry="6m") == {cards["soon"].pk, cards["two"].pk}
    assert ids(expiry="later") == set()  # the one valid for years was reported lost
    assert ids(economy="SG") == {cards["two"].pk}
    assert ids(organization__ftz_area__exact="luoyang") == {cards["soon"].pk}
    expires_on = Card.objects.get(pk=cards["soon"].pk).expires_on
    assert ids(expires_on__year=str(expires_on.year), expires_on__month=str(expires_on.month)) >= {
        cards["soon"].pk
    }


def test_registry_search_by_number_holder_and_passport(as_user, officer, cards):
    card = cards["two"]
    client = as_user(officer)

    def ids(term):
        return listed(client.get(REGISTRY, {"q": term}))

    assert ids(card.number.lower()) == [card.pk]
    assert card.pk in ids(card.holder.full_name)
    assert card.pk in ids(card.holder.pinyin_name.lower())
    assert ids(card.passport_number) == [card.pk]
    assert ids(card.passport_number[:-1]) == []


def test_registry_query_count_does_not_grow_with_rows(
    as_user, officer, applicant, liaison, django_assert_max_num_queries
):
    issued_card(applicant=applicant, liaison=liaison, officer=officer)
    client = as_user(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(REGISTRY)
    for _index in range(4):
        issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU", "JP"))
    with django_assert_max_num_queries(len(few)):
        assert len(listed(client.get(REGISTRY))) == 5


def test_card_page_shows_economies_replacement_and_letter_state(as_user, applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer, approve=("AU", "JP"))
    services.card_transition(card=card, actor=officer, name="report_lost")
    application = draft(applicant, card.holder, kind="replacement", economies=None)
    application = run(run(application, applicant, "submit"), liaison, "endorse")
    application = run(run(application, officer, "start_review"), officer, "issue")
    new = Card.objects.get(application=application)
    client = as_user(officer)

    old_page = client.get(card_url(card)).content.decode()
    new_page = client.get(card_url(new))

    assert f'href="{card_url(new)}" data-testid="replaced-by">{new.number}<' in old_page
    assert 'data-state="replaced"' in old_page
    content = new_page.content.decode()
    assert f'href="{card_url(card)}" data-testid="replaces">{card.number}<' in content
    assert 'data-economy="AU"' in content and 'data-economy="JP"' in content
    assert f'data-testid="passport-number">{new.passport_number}<' in content
    assert 'data-testid="letter-pending"' in content  # the task runs after commit
    assert new_page.context["transitions"] and not new_page.context["can_render_letter"]


def test_letter_download_is_404_before_rendering_and_render_again_after_a_failure(
    as_user, applicant, liaison, officer, leader, django_capture_on_commit_callbacks
):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    letter = admin_url("card_letter", card.pk)
    client = as_user(officer)
    assert client.get(letter).status_code == 404

    Card.objects.filter(pk=card.pk).update(letter_error="OSError: disk full")
    page = client.get(card_url(card)).content.decode()
    assert "OSError: disk full" in page and 'data-testid="letter-render"' in page
    assert 'data-testid="letter-render"' not in as_user(leader).get(card_url(card)).content.decode()
    refused = as_user(leader).post(admin_url("card_letter_render", card.pk))
    assert flashed(refused)[0][0] == "error"

    client = as_user(officer)
    with django_capture_on_commit_callbacks(execute=True):
        rendered = client.post(admin_url("card_letter_render", card.pk))

    assert rendered.status_code == 302
    card.refresh_from_db()
    assert card.letter and card.letter_error == ""
    download = client.get(letter)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert 'data-testid="letter-download"' in client.get(card_url(card)).content.decode()


def test_cancel_needs_a_reason(as_user, applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    url = admin_url("card_transition", card.pk)
    client = as_user(officer)

    refused = client.post(url, {"transition": "cancel", "comment": ""})
    assert flashed(refused) == [("error", "Say why, so that the applicant knows what to do.")]
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE

    done = client.post(url, {"transition": "cancel", "comment": "持卡人已离职"})
    assert done.url == card_url(card)
    card.refresh_from_db()
    assert (card.state, card.end_reason) == (CardState.CANCELLED, "持卡人已离职")
    assert AuditEvent.objects.get(action="card.cancel").comment == "持卡人已离职"
    assert client.get(card_url(card)).context["transitions"] == []


def test_report_lost_from_the_card_page(as_user, applicant, liaison, officer):
    card = issued_card(applicant=applicant, liaison=liaison, officer=officer)
    client = as_user(officer)
    page = client.get(card_url(card))
    assert [button["name"] for button in page.context["transitions"]] == ["report_lost", "cancel"]

    client.post(admin_url("card_transition", card.pk), {"transition": "report_lost"})

    card.refresh_from_db()
    assert card.state == CardState.REPORTED_LOST


# Economies -----------------------------------------------------------------------------------------------


def test_officers_edit_an_economys_names_and_participation_audited(as_user, officer, leader):
    url = admin_url("economy_change", "RU")
    client = as_user(officer)

    response = client.post(
        url, {"name_zh": "俄罗斯联邦", "name_en": "Russia", "participation": "transitional"}
    )

    assert response.status_code == 302
    economy = Economy.objects.get(code="RU")
    assert (economy.name_zh, economy.participation, economy.is_home) == ("俄罗斯联邦", "transitional", False)
    event = AuditEvent.objects.get(action="economy.update")
    assert event.data["before"] == {"name_zh": "俄罗斯", "participation": "full"}
    assert client.get(admin_url("economy_add")).status_code == 403
    assert client.get(admin_url("economy_delete", "RU")).status_code == 403
    viewer = as_user(leader)
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, {"name_zh": "X", "name_en": "X", "participation": "full"}).status_code == 403


# Who may do what -----------------------------------------------------------------------------------------


def test_leader_sees_everything_but_cannot_act(as_user, leader, officer, make):
    application = make(State.PRE_CLEARANCE)
    decide(application, officer, "AU")
    client = as_user(leader)

    assert client.get(QUEUE).status_code == 200
    assert "assign_to_me" not in client.get(QUEUE).content.decode()
    page = client.get(change_url(application))
    assert page.status_code == 200
    content = page.content.decode()
    assert page.context["transitions"] == []
    assert 'name="transition"' not in content and "preclearance-form-" not in content
    assert 'name="officer"' not in content

    refused = client.post(transition_url(application), {"transition": "issue"})
    assert flashed(refused) == [("error", "Your role does not allow this action.")]
    not_recorded = client.post(preclearance_url(application, "JP"), answer("JP"))
    assert flashed(not_recorded)[-1] == ("error", "Only approval officers record pre-clearance decisions.")
    not_assigned = client.post(admin_url("cardapplication_assign", application.pk), {"officer": "me"})
    assert flashed(not_assigned)[-1] == ("error", "Only approval officers assign applications.")
    application.refresh_from_db()
    assert application.state == State.PRE_CLEARANCE
    assert PreClearance.objects.get(application=application, economy="JP").decision == "pending"


def test_leader_cannot_cancel_a_card_and_manager_reads_the_lists(as_user, leader, manager, cards):
    card = cards["plain"]
    refused = as_user(leader).post(
        admin_url("card_transition", card.pk), {"transition": "cancel", "comment": "离职"}
    )
    assert flashed(refused) == [("error", "Your role does not allow this action.")]
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE

    client = as_user(manager)
    assert client.get(QUEUE).status_code == 200
    assert client.get(REGISTRY).status_code == 200
    assert client.get(card_url(card)).context["transitions"] == []
    assert client.get(PENDING_BY_ECONOMY).status_code == 200
    assert client.get(admin_url("economy_changelist")).status_code == 403


@pytest.mark.parametrize("who", ["applicant", "liaison"])
def test_enterprise_users_are_sent_to_the_login(as_user, request, who, make):
    application = make(State.ISSUED)
    card = Card.objects.get(application=application)
    client = as_user(request.getfixturevalue(who))

    for url in (QUEUE, REGISTRY, PENDING_BY_ECONOMY, change_url(application), card_url(card)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login"))
