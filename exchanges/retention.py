"""How long the exchanges area keeps personal data once a case is over (foreign_affairs.privacy.retention).

- "interview_requests": the media form's privacy notice promises a journalist's details are kept three
  years after the request is closed (closed or declined; since `state_changed_at`). Then the requester's
  personal data goes — name, e-mail, phone, press card, the topic and the people they wished to
  interview, the office's note — with the e-mails written to them. The request's shell stays for the
  statistics: reference, outlet and its country, dates, sites, what was arranged, the activity.
- "contact_access_records": the access log of the overseas-Chinese contacts (who looked at whose
  details), three years after each look, as the portal's own access records.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from foreign_affairs.areas.registry import RetentionKind
from foreign_affairs.privacy.retention import Due, log_day_purge, log_days_due

from .models import ContactAccess, MediaMessage, MediaRequest
from .workflow import MediaState

INTERVIEW_REQUESTS = "interview_requests"
CONTACT_ACCESS = "contact_access_records"
CLOSED_MEDIA_STATES = (MediaState.CLOSED, MediaState.DECLINED)
# The requester's personal data on the request, blanked by the purge.
REQUESTER_FIELDS = (
    "journalist_name",
    "email",
    "phone",
    "press_card",
    "topic",
    "people_wished",
    "office_note",
)


def _holds_personal_data() -> Q:
    held = Exists(MediaMessage.objects.filter(request=OuterRef("pk")))
    for name in REQUESTER_FIELDS:
        held |= ~Q(**{name: ""})
    return held


def requests_due(cutoff) -> list[Due]:
    rows = (
        MediaRequest.objects.filter(state__in=CLOSED_MEDIA_STATES, state_changed_at__lt=cutoff)
        .filter(_holds_personal_data())
        .order_by("state_changed_at", "pk")
        .values("pk", "reference", "state_changed_at")
    )
    return [
        Due(
            kind=INTERVIEW_REQUESTS,
            case=row["reference"],
            closed_at=row["state_changed_at"],
            target=row["pk"],
        )
        for row in rows
    ]


def requests_purge(due: Due) -> dict:
    request = (
        MediaRequest.objects.select_for_update().filter(pk=due.target, state__in=CLOSED_MEDIA_STATES).first()
    )
    if request is None:
        return {}
    emails = MediaMessage.objects.filter(request=request).delete()[0]
    changed = [name for name in REQUESTER_FIELDS if getattr(request, name)]
    if changed:
        MediaRequest.objects.filter(pk=request.pk).update(**dict.fromkeys(REQUESTER_FIELDS, ""))
    return {"fields": len(changed), "emails": emails}


def accesses_due(cutoff) -> list[Due]:
    """Looks at contacts' details before `cutoff`, one entry per day."""
    return log_days_due(ContactAccess, CONTACT_ACCESS, cutoff)


def accesses_purge(due: Due) -> dict:
    return log_day_purge(ContactAccess, due)


RETENTION = [
    RetentionKind(
        name=INTERVIEW_REQUESTS,
        label=_("Journalists' details on closed interview requests"),
        months=36,
        due=requests_due,
        purge=requests_purge,
    ),
    RetentionKind(
        name=CONTACT_ACCESS,
        label=_("Access log of the overseas-Chinese contacts"),
        months=36,
        due=accesses_due,
        purge=accesses_purge,
    ),
]
