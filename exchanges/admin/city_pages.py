"""What a friendship city's page in the back office shows beside its fields: the health badge, the agreements
with their renewal state, the cooperation projects, the pair's activities and the timeline. Each list is one
query."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from foreign_affairs.admin_pages import tag, timeline
from projects.workflow import PUBLICATION_TONES, STAGE_TONES, Publication, Stage

from .. import health
from ..health import HEALTH_TONES, Health
from ..workflow import STATE_TONES, State


def health_tag(level: str):
    """The badge of a health level, in the colours of HEALTH_TONES."""
    return tag(Health, HEALTH_TONES, level, "health")


def state_tag(value: str):
    """An activity's state, in the colours of workflow.STATE_TONES."""
    return tag(State, STATE_TONES, value)


def agreement_rows(city) -> list:
    """The pair's agreements, the latest signed first, each with `late` (days past its renewal date) and
    `soon` (to be renewed within the warning period)."""
    today = timezone.localdate()
    warning = today + timedelta(days=health.renewal_warning_days())
    agreements = list(city.agreements.select_related("document").order_by("-signed_on", "-pk"))
    for agreement in agreements:
        renew_by = agreement.renew_by
        agreement.late = (today - renew_by).days if renew_by and renew_by < today else 0
        agreement.soon = bool(renew_by and today <= renew_by <= warning)
    return agreements


def project_rows(city) -> list:
    """The cooperation projects (area 3) linked to the pair, by reference, each with its stage and its
    publication as tags in the projects' own colours."""
    projects = list(city.projects.select_related(None).order_by("reference"))
    for project in projects:
        project.stage_tag = tag(Stage, STAGE_TONES, project.stage, "stage")
        project.publication_tag = tag(Publication, PUBLICATION_TONES, project.publication, "publication")
    return projects


def activity_rows(queryset) -> list:
    """Activities (a selector's queryset), the latest first, each with its state as a tag and the URL of its
    page in the back office."""
    activities = list(queryset.order_by("-starts_on", "-pk"))
    for activity in activities:
        activity.state_tag = state_tag(activity.state)
        activity.admin_url = reverse("admin:exchanges_activity_change", args=[activity.pk])
    return activities


def city_timeline(city) -> list:
    """The audit events of the pair, oldest first, each with what it was about: the fields changed, the
    agreement's title, the project's reference."""
    return timeline(city, detail=lambda event, data: data.get("title") or data.get("project") or "")


def object_audit_url(obj) -> str:
    """The audit log narrowed to the events about `obj`."""
    query = urlencode(
        {"content_type__id__exact": ContentType.objects.get_for_model(obj).pk, "object_id": str(obj.pk)}
    )
    return f"{reverse('admin:audit_auditevent_changelist')}?{query}"
