"""What overseas safety holds about one person (foreign_affairs.privacy.person_data): their postings at the
organisation's sites abroad, the incidents they were affected by, and the safety alerts sent to them. The
incidents themselves are the organisation's and stay; the person leaves them, and their name leaves the
incident's texts."""

from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.areas.registry import PersonalDataSource
from foreign_affairs.privacy.person_data import kept_until, scrub

from .models import AffectedPerson, AlertRecipient, Incident, Stationing, TimelineEntry
from .workflow import ACTIVE_STATES

# The retention kind (privacy.retention) of a closed incident, and its default.
RETENTION_KIND = "overseas_incident"
RETENTION_MONTHS = 60


def collect(person) -> dict:
    return {
        "stationings": [
            {
                "site": stationing.site.name,
                "post": stationing.post,
                "starts_on": stationing.starts_on,
                "ends_on": stationing.ends_on,
            }
            for stationing in Stationing.objects.filter(person=person).select_related("site").order_by("pk")
        ],
        "incidents": [
            {
                "incident": affected.incident.reference,
                "title": affected.incident.title,
                "occurred_at": affected.incident.occurred_at,
                "status": affected.status,
                "note": affected.note,
            }
            for affected in AffectedPerson.objects.filter(person=person).select_related("incident")
        ],
        "safety_alerts": [
            {
                "alert": recipient.alert.reference,
                "title": recipient.alert.title,
                "city": recipient.city,
                "notified_at": recipient.notified_at,
                "answer": recipient.answer,
                "answered_at": recipient.answered_at,
            }
            for recipient in AlertRecipient.objects.filter(person=person).select_related("alert")
        ],
    }


def duties(person) -> list[str]:
    found = []
    today = timezone.localdate()
    for stationing in Stationing.objects.filter(person=person).select_related("site"):
        if stationing.ends_on is None or stationing.ends_on >= today:
            found.append(
                _("Stationed at %(site)s (since %(date)s)")
                % {"site": stationing.site.name, "date": stationing.starts_on.isoformat()}
            )
    for affected in AffectedPerson.objects.filter(person=person).select_related("incident"):
        incident = affected.incident
        if incident.state in ACTIVE_STATES:
            found.append(
                _("Affected by incident %(reference)s (%(state)s)")
                % {"reference": incident.reference, "state": incident.get_state_display()}
            )
            continue
        closed = incident.closed_at or incident.state_changed_at
        until = kept_until(RETENTION_KIND, closed, default_months=RETENTION_MONTHS)
        if until > today:
            found.append(
                _("Affected by incident %(reference)s (kept until %(date)s)")
                % {"reference": incident.reference, "date": until.isoformat()}
            )
    return found


def erase(person) -> dict[str, int]:
    identifiers = [value for value in (person.full_name, person.pinyin_name, person.phone) if value]
    incident_ids = list(AffectedPerson.objects.filter(person=person).values_list("incident_id", flat=True))
    texts = 0
    for incident in Incident.objects.filter(pk__in=incident_ids):
        fields = {
            name: scrub(getattr(incident, name), identifiers)
            for name in ("title", "description", "reporter_name", "reporter_phone")
        }
        Incident.objects.filter(pk=incident.pk).update(**fields)
    # The timeline is append-only for its users; erasure takes the name out of what was written.
    for entry in TimelineEntry.objects.filter(incident_id__in=incident_ids):
        text = scrub(entry.text, identifiers)
        if text != entry.text:
            TimelineEntry.objects.filter(pk=entry.pk).update(text=text)
            texts += 1
    affected, _rows = AffectedPerson.objects.filter(person=person).delete()
    recipients = list(AlertRecipient.objects.filter(person=person).values_list("pk", flat=True))
    Incident.objects.filter(alert_answer_id__in=recipients).update(alert_answer=None)
    AlertRecipient.objects.filter(pk__in=recipients).delete()
    stationings, _rows = Stationing.objects.filter(person=person).delete()
    return {
        "stationings": stationings,
        "incidents": affected,
        "safety_alerts": len(recipients),
        "timeline_texts": texts,
    }


SOURCE = PersonalDataSource(name="overseas_safety", collect=collect, duties=duties, erase=erase)
