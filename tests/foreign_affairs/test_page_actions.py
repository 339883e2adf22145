"""One helper runs a transition from a page in every area and answers each outcome the same way
(foreign_affairs.page_actions); the areas' pages use it."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.forms import transition_form
from foreign_affairs.fsm import TransitionInfo
from foreign_affairs.page_actions import action_rows, run_transition

RETURN = TransitionInfo("Return", comment="required")
APPROVE = TransitionInfo("Approve")
WITHDRAW = TransitionInfo("Withdraw", destructive=True)


class Case:
    state = "in_review"

    def get_absolute_url(self):
        return "/cases/1/"


def _request(data=None):
    request = RequestFactory().post("/cases/1/transition/", data or {})
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _run(request, *, raises=None, available=True, data=None, name="return"):
    seen = {}

    def run(cleaned):
        seen["cleaned"] = cleaned
        if raises:
            raise raises
        return Case()

    def page(**kwargs):
        seen["page"] = kwargs
        return HttpResponse("page", status=kwargs["status"])

    response = run_transition(
        request,
        obj=Case(),
        name=name,
        form=transition_form(name, RETURN, request.POST),
        available=available,
        run=run,
        page=page,
        refused=lambda error: HttpResponse(str(error), status=403),
        done=lambda case: f"done: {case.state}",
    )
    return response, seen, [str(message) for message in get_messages(request)]


def test_done_redirects_to_the_case_with_what_happened():
    response, seen, messages = _run(_request({"comment": "请补充"}))
    assert (response.status_code, response["Location"]) == (302, "/cases/1/")
    assert seen["cleaned"] == {"comment": "请补充"} and messages == ["done: in_review"]


def test_a_missing_reason_shows_the_page_again_with_the_form_open():
    response, seen, messages = _run(_request({"comment": " "}))
    assert response.status_code == 400 and "cleaned" not in seen and messages == []
    name, form = seen["page"]["bound"]
    assert name == "return" and form.errors["comment"]


def test_a_transition_the_user_may_not_run_now_is_left_to_the_service_to_refuse():
    """The form is not validated (no 400 for a missing reason): the service says why not."""
    response, seen, _messages = _run(_request({}), available=False, raises=PermissionDenied("not yours"))
    assert seen["cleaned"] == {} and (response.status_code, response.content) == (403, b"not yours")


def test_a_state_conflict_goes_back_to_the_case_with_the_reason():
    error = StateConflict("already approved", state="approved", available=[])
    response, _seen, messages = _run(_request({"comment": "x"}), raises=error)
    assert response.status_code == 302 and messages == ["already approved"]


def test_rules_that_refuse_show_the_page_with_what_is_missing():
    error = RulesFailed("not yet", findings=[{"code": "x", "severity": "error", "message": "missing"}])
    response, seen, _messages = _run(_request({"comment": "x"}), raises=error)
    assert response.status_code == 400 and seen["page"]["rules_failed"] is error


def test_a_service_validation_error_lands_beside_its_field():
    error = ValidationError({"comment": "too vague", "other": "elsewhere"})
    response, seen, _messages = _run(_request({"comment": "x"}), raises=error)
    form = seen["page"]["bound"][1]
    assert response.status_code == 400
    assert form.errors["comment"] == ["too vague"] and form.non_field_errors() == ["elsewhere"]


def test_action_rows_put_the_step_forward_first_and_keep_a_bound_form():
    bound_form = transition_form("return", RETURN, {"comment": ""})
    rows = action_rows(
        ["withdraw", "return", "approve", "report"],
        {"withdraw": WITHDRAW, "return": RETURN, "approve": APPROVE, "report": APPROVE},
        url=lambda name: f"/cases/1/{name}/",
        bound=("return", bound_form),
        forms={"report": ("report", lambda: "the area's own form")},
    )
    assert [(row["name"], row["kind"]) for row in rows] == [
        ("approve", "button"),
        ("return", "confirm"),
        ("report", "report"),
        ("withdraw", "confirm"),
    ]
    by_name = {row["name"]: row for row in rows}
    assert by_name["return"]["form"] is bound_form and by_name["return"]["open"]
    assert (
        by_name["report"]["form"] == "the area's own form"
        and by_name["withdraw"]["url"] == "/cases/1/withdraw/"
    )
    assert by_name["withdraw"]["form"].fields["comment"].required


@pytest.mark.django_db
@pytest.mark.parametrize("area", ["approvals", "apec_cards"])
def test_a_role_refusal_is_the_same_403_page_in_every_area(area, client, applicant, organization):
    """Approving as an applicant: the same refusal page in both areas (it used to be a message in one)."""
    if area == "approvals":
        from tests.approvals.factories import ApplicationFactory

        application = ApplicationFactory(organization=organization, in_review=True)
        url, data = f"/applications/{application.pk}/transition/approve/", {}
    else:
        from apec_cards.models import CardApplication
        from tests.apec_cards.helpers import card_person, draft

        application = draft(applicant, card_person(organization))
        CardApplication.objects.filter(pk=application.pk).update(state="in_review")
        url, data = f"/apec/applications/{application.pk}/transition/", {"name": "request_preclearance"}
    client.force_login(applicant)
    response = client.post(url, data)
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="problem"' in body and application.get_absolute_url() in body
