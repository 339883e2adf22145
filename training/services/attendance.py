"""Recording attendance three ways: the officer's register, the rotating QR code at the venue, and an online
session's record (the meeting platform's list of participants).

The venue's code: six characters of an HMAC of the session's secret and the current minute, so it changes
every minute and cannot be worked out from an earlier one. It is accepted for TRAINING_CHECK_IN_GRACE_MINUTES
after it was shown (to scan it and sign in), and only from TRAINING_CHECK_IN_OPENS_MINUTES before the
session starts until it ends: a photo of yesterday's code, or of this morning's at another session, fails.
"""

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.audit.services import record_event
from foreign_affairs.errors import StateConflict
from foreign_affairs.fsm import check_transition

from ..models import Enrolment, Session
from ..selectors import person_for_user
from ..workflow import ENROLMENT_TRANSITIONS, CheckInMethod, State
from .assessment import complete_if_done
from .common import require_officer

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# Check-ins a minute per account, the page and the API counting together (one scope, one key): enough to
# retype a code, too few to guess one; per account, as a venue's attendees share its address.
CHECK_INS_PER_MINUTE = 10
CHECK_IN_SCOPE = "training-check-in"


def check_in_limit_reached(request) -> bool:
    """Whether this signed-in user has used up the minute's check-ins (this one counted)."""
    from foreign_affairs.ratelimit import exceeded

    return exceeded(
        request, CHECK_IN_SCOPE, limit=CHECK_INS_PER_MINUTE, seconds=60, key=f"user:{request.user.pk}"
    )


def _minute(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def code_for(session: Session, moment: datetime | None = None) -> str:
    """The check-in code shown at the venue at `moment` (now by default)."""
    minute = _minute(moment or timezone.now())
    digest = hmac.new(
        session.check_in_secret.encode(), f"{session.pk}:{minute}".encode(), hashlib.sha256
    ).digest()
    return "".join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:6])


def check_in_window(session: Session) -> tuple[datetime, datetime]:
    return session.starts_at - timedelta(minutes=settings.TRAINING_CHECK_IN_OPENS_MINUTES), session.ends_at


def code_is_current(session: Session, code: str, moment: datetime | None = None) -> bool:
    moment = moment or timezone.now()
    code = (code or "").strip().upper()
    if not code.isascii() or len(code) != 6:
        return False
    return any(
        hmac.compare_digest(code, code_for(session, moment - timedelta(minutes=back)))
        for back in range(settings.TRAINING_CHECK_IN_GRACE_MINUTES + 1)
    )


def _attend(enrolment: Enrolment, actor, method: str) -> Enrolment:
    previous = enrolment.state
    enrolment.attend()
    enrolment.check_in_method = method
    enrolment.state_changed_at = timezone.now()
    enrolment.save()
    record_event(
        actor=actor,
        action="enrolment.attend",
        obj=enrolment,
        from_state=previous,
        to_state=enrolment.state,
        data={"method": method},
    )
    return complete_if_done(enrolment, actor=actor)


def check_in(*, session: Session, actor, code: str) -> Enrolment:
    """A signed-in attendee checks in with the venue's code: their place in this session becomes attended."""
    now = timezone.now()
    opens, closes = check_in_window(session)
    if session.state != "scheduled":
        raise StateConflict(_("This session was cancelled."), state=session.state, available=[])
    if not opens <= now <= closes:
        raise ValidationError(
            {
                "code": _(
                    "Check-in is open from %(minutes)d minutes before the session starts until it ends."
                )
                % {"minutes": settings.TRAINING_CHECK_IN_OPENS_MINUTES}
            }
        )
    if not code_is_current(session, code, now):
        raise ValidationError(
            {"code": _("This code is not the one shown at the venue now. Scan the code on the screen again.")}
        )
    person = person_for_user(actor)
    with transaction.atomic():
        enrolments = (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(session=session)
            .exclude(state=State.CANCELLED)
        )
        if person is not None:
            enrolment = enrolments.filter(person=person).first()
        else:
            enrolment = enrolments.filter(user=actor).first()
        if enrolment is None:
            raise PermissionDenied(_("You are not enrolled in this session. Ask the officer at the door."))
        if enrolment.state in (State.ATTENDED, State.COMPLETED, State.FAILED):
            return enrolment
        if enrolment.state == State.WAITING:
            raise StateConflict(
                _("You are on the waiting list of this session. Ask the officer at the door."),
                state=enrolment.state,
                available=[],
            )
        return _attend(enrolment, None, CheckInMethod.QR)


def mark(*, enrolment: Enrolment, actor, attended: bool) -> Enrolment:
    """The officer's register: attended or absent."""
    require_officer(actor)
    name = "attend" if attended else "absent"
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("session__course")
            .get(pk=enrolment.pk)
        )
        if enrolment.state == (State.ATTENDED if attended else State.ABSENT):
            return enrolment
        check_transition(enrolment, actor, name, info=ENROLMENT_TRANSITIONS, condition_errors={})
        if attended:
            return _attend(enrolment, actor, CheckInMethod.REGISTER)
        previous = enrolment.state
        enrolment.absent()
        enrolment.state_changed_at = timezone.now()
        enrolment.save()
        record_event(
            actor=actor,
            action="enrolment.absent",
            obj=enrolment,
            from_state=previous,
            to_state=enrolment.state,
        )
    return enrolment


def mark_many(*, session: Session, actor, attended_ids, absent_ids=()) -> int:
    """Tick the register for several enrolments of one session at once; returns how many changed."""
    require_officer(actor)
    changed = 0
    ids = {int(pk): True for pk in attended_ids} | {int(pk): False for pk in absent_ids}
    for enrolment in Enrolment.objects.filter(session=session, pk__in=ids):
        before = enrolment.state
        after = mark(enrolment=enrolment, actor=actor, attended=ids[enrolment.pk])
        changed += after.state != before
    return changed


def _keys(line: str) -> set[str]:
    cleaned = line.strip().strip('"').lower()
    emails = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", cleaned))
    names = {part.strip().strip('"') for part in re.split(r"[,;\t]", cleaned) if part.strip()}
    return emails | {" ".join(name.split()) for name in names}


def online_record(*, session: Session, actor, text: str) -> tuple[list[Enrolment], list[str]]:
    """Mark attended everyone enrolled whose e-mail or name appears on a line of the meeting platform's list
    of participants; returns (those marked, the lines that matched nobody)."""
    require_officer(actor)
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"record": _("Paste the list of participants, one per line.")})
    if len(lines) > 2000:
        raise ValidationError({"record": _("The list is too long: at most 2 000 lines.")})
    enrolments = list(
        Enrolment.objects.filter(session=session, state__in=(State.ENROLLED, State.ABSENT)).select_related(
            "person", "user", "session__course"
        )
    )

    def keys_of(enrolment):
        found = set()
        for value in (
            enrolment.person.email if enrolment.person_id else enrolment.user.email,
            enrolment.trainee_name,
            enrolment.person.pinyin_name if enrolment.person_id else "",
        ):
            if value:
                found.add(" ".join(value.lower().split()))
        return found

    marked, unmatched = [], []
    by_key = {}
    for enrolment in enrolments:
        for key in keys_of(enrolment):
            by_key.setdefault(key, enrolment)
    with transaction.atomic():
        record_event(
            actor=actor, action="training_session.online_record", obj=session, data={"lines": len(lines)}
        )
        for line in lines:
            match = next((by_key[key] for key in _keys(line) if key in by_key), None)
            if match is None:
                unmatched.append(line.strip()[:200])
                continue
            if match in marked:
                continue
            locked = (
                Enrolment.objects.select_for_update(of=("self",))
                .select_related("session__course")
                .get(pk=match.pk)
            )
            if locked.state in (State.ENROLLED, State.ABSENT):
                marked.append(_attend(locked, actor, CheckInMethod.ONLINE_RECORD))
    return marked, unmatched


__all__ = ["check_in", "code_for", "code_is_current", "mark", "mark_many", "online_record"]
