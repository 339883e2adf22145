"""Foreign media interview requests: a journalist asks on the public form or through the API (no account),
the office arranges the interview or declines it, and records what was published. The journalist hears
by e-mail through the area's outbox (received, arranged, declined)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foreign_affairs import fsm
from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict

from .. import notifying
from ..models import MediaRequest
from ..workflow import MEDIA_TRANSITIONS, MediaState
from .common import apply, full_clean, next_reference, require_officer

PUBLIC_FIELDS = [
    "journalist_name",
    "email",
    "phone",
    "outlet",
    "outlet_country",
    "press_card",
    "topic",
    "people_wished",
    "sites_wished",
    "wished_from",
    "wished_until",
]
OFFICE_FIELDS = [
    "arranged_interviewees",
    "arranged_sites",
    "arranged_on",
    "escort",
    "activity",
    "office_note",
]
CONDITION_ERRORS = {
    "is_arranged": (
        "arrangements_missing",
        gettext_lazy("Name the interviewees or the sites arranged, and the escort, first."),
    ),
}


def media_request_submit(*, data: dict, language: str = "en") -> MediaRequest:
    """A journalist's request (no account). ValidationError, nothing stored, for bad data; the request is
    acknowledged by e-mail and the office's officers are told."""
    request = MediaRequest(language="zh-hans" if (language or "").startswith("zh") else "en")
    _relations, errors = apply(request, data, PUBLIC_FIELDS)
    today = timezone.localdate()
    if request.wished_from and request.wished_from < today:
        errors["wished_from"] = [_("Choose dates from today on.")]
    if request.wished_from and request.wished_until and request.wished_until < request.wished_from:
        errors["wished_until"] = [_("The last day cannot be before the first.")]
    if request.outlet_country and request.outlet_country.code == "CN":
        errors["outlet_country"] = [
            _(
                "This form is for foreign media; journalists of the mainland of China apply through their outlet."
            )
        ]
    full_clean(request, errors, exclude=["state", "reference", "escort", "activity"])
    with transaction.atomic():
        request.reference = next_reference("HNMR", today.year)
        request.created_at = request.state_changed_at = timezone.now()
        request.save()
        record_event(actor=None, action="media_request.submit", obj=request, to_state=request.state)
        notifying.media_request_received(request)
    return request


def _locked(request: MediaRequest) -> MediaRequest:
    return MediaRequest.objects.select_for_update().get(pk=request.pk)


def media_request_update(*, request: MediaRequest, actor, data: dict) -> MediaRequest:
    """The office's arrangements: interviewees, sites, date, escort, the activity it belongs to, a note."""
    require_officer(actor, _("Only approval officers arrange interviews."))
    with transaction.atomic():
        request = _locked(request)
        if request.state in (MediaState.CLOSED, MediaState.DECLINED):
            raise StateConflict(
                _("A %(state)s request is no longer changed.") % {"state": request.get_state_display()},
                state=request.state,
                available=[],
            )
        _relations, errors = apply(request, data, OFFICE_FIELDS)
        if request.escort_id and not request.escort.is_office_staff:
            errors["escort"] = [_("The escort must be a member of the office.")]
        full_clean(request, errors, exclude=["state", "reference"])
        request.save()
        record_event(
            actor=actor,
            action="media_request.update",
            obj=request,
            data={"fields": sorted(f for f in OFFICE_FIELDS if f in data)},
        )
    return request


def media_request_run(*, request: MediaRequest, actor, name: str, comment: str = "") -> MediaRequest:
    with transaction.atomic():
        request = _locked(request)
        comment = fsm.check_transition(
            request, actor, name, info=MEDIA_TRANSITIONS, condition_errors=CONDITION_ERRORS, comment=comment
        )
        from_state = request.state
        getattr(request, name)()
        request.state_changed_at = timezone.now()
        request.save()
        record_event(
            actor=actor,
            action=f"media_request.{name}",
            obj=request,
            from_state=from_state,
            to_state=request.state,
            comment=comment,
        )
        notifying.media_request_moved(request, name, actor=actor, comment=comment)
    return request
