"""The page the venue's QR code opens on an attendee's phone.

The code on the screen at the venue encodes this page's absolute address with the code of the current
minute (services.code_for). Opening it needs a signed-in account (the sign-in page comes back here); the
page shows the session and whether the reader holds a place, and checks in only when the big button is
pressed (POST): the service then checks the session's time window, that the code is the current one, and
the enrolment. The page itself never says whether a code is current, and the button is limited per account
(CHECK_INS_PER_MINUTE), so that codes cannot be guessed.
"""

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from foreign_affairs.errors import StateConflict

from .. import services
from ..models import Certificate, Enrolment, Session
from ..selectors import person_for_user
from ..services.attendance import CODE_ALPHABET, check_in_limit_reached, check_in_window
from ..workflow import State

# What a code shown at the venue can look like; anything else is refused as not the current code.
CODE_PATTERN = re.compile(rf"[{CODE_ALPHABET}{CODE_ALPHABET.lower()}]{{6}}")
CHECKED_IN = (State.ATTENDED, State.COMPLETED, State.FAILED)


def check_in_url(session: Session, code: str) -> str:
    """The absolute address the venue's QR code encodes."""
    return f"{settings.PORTAL_BASE_URL}{reverse('training:check_in', args=[session.pk, code])}"


def _enrolment(session: Session, user) -> Enrolment | None:
    """The reader's enrolment in the session (not cancelled), found as the service finds it."""
    enrolments = (
        Enrolment.objects.filter(session=session)
        .exclude(state=State.CANCELLED)
        .select_related("certificate")
        .order_by("pk")
    )
    person = person_for_user(user)
    if person is not None:
        return enrolments.filter(person=person).first()
    return enrolments.filter(user=user).first()


def _certificate(enrolment: Enrolment | None):
    if enrolment is None or enrolment.state != State.COMPLETED:
        return None
    try:
        return enrolment.certificate
    except Certificate.DoesNotExist:
        return None


def _page(request, session, enrolment, *, refusal: str = "", kind: str = "", status: int = 200):
    opens, closes = check_in_window(session)
    now = timezone.now()
    return render(
        request,
        "training/check_in.html",
        {
            "session": session,
            "course": session.course,
            "enrolment": enrolment,
            "checked_in": enrolment is not None and enrolment.state in CHECKED_IN,
            "certificate": _certificate(enrolment),
            "refusal": refusal,
            "kind": kind,
            "cancelled": session.state != "scheduled",
            "opens": opens,
            "phase": "before" if now < opens else "after" if now > closes else "open",
            "may_press": enrolment is not None and enrolment.state in (State.ENROLLED, State.ABSENT),
        },
        status=status,
    )


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, session_id, code):
    session = get_object_or_404(Session.objects.select_related("course"), pk=session_id)
    if request.method == "GET":
        return _page(request, session, _enrolment(session, request.user))
    if check_in_limit_reached(request):
        response = _page(
            request,
            session,
            _enrolment(session, request.user),
            refusal=_("Too many tries. Wait a minute, then scan the code on the screen again."),
            kind="throttled",
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    try:
        # A code that cannot be one (other characters, another length) is checked as an empty one: refused
        # with the same words, and never compared as it is (non-ASCII text would break the comparison).
        given = code if CODE_PATTERN.fullmatch(code) else ""
        services.check_in(session=session, actor=request.user, code=given)
    except ValidationError as error:
        opens, closes = check_in_window(session)
        kind = "window" if not opens <= timezone.now() <= closes else "stale"
        return _page(
            request,
            session,
            _enrolment(session, request.user),
            refusal=_message(error),
            kind=kind,
            status=400,
        )
    except PermissionDenied as error:
        return _page(
            request,
            session,
            None,
            refusal=str(error) or _("You are not enrolled in this session. Ask the officer at the door."),
            kind="not_enrolled",
            status=403,
        )
    except StateConflict as error:
        kind = "cancelled" if session.state != "scheduled" else "waiting"
        return _page(
            request,
            session,
            _enrolment(session, request.user),
            refusal=str(error.message),
            kind=kind,
            status=409,
        )
    return redirect(request.path)


urlpatterns = [path("check-in/<int:session_id>/<str:code>/", check_in, name="check_in")]
