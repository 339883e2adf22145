"""The searches and the filters of the training lists in the back office: courses, sessions (upcoming by
default; a search looks through every session), enrolments, certificates and the e-mails to trainees."""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.admin_queue import ChoicesFilter
from foreign_affairs.documents.verification import normalize_code

from ..models import Audience, Course, Topic
from ..workflow import Mode, SessionState, State

COURSE_SEARCH_HELP = _("A course's code (PD-01) or words of its title.")
SESSION_SEARCH_HELP = _("A reference (HNTS-2026-00012), a course's code or title, a venue or an instructor.")
ENROLMENT_SEARCH_HELP = _(
    "A trainee's name, an organisation's name or a session's reference (HNTS-2026-00012)."
)
CERTIFICATE_SEARCH_HELP = _(
    "A certificate number (HNTC-2026-00012), a verification code or the holder's name."
)
MESSAGE_SEARCH_HELP = _("An e-mail address or words of the subject.")

# Certificates whose validity ends within this many days are "expiring" (as in the reports).
EXPIRING_DAYS = 30


def _words(term: str) -> list[str]:
    return (term or "").split()[:10]


def course_search_q(term: str) -> Q:
    query = Q()
    for word in _words(term):
        query &= Q(code__icontains=word) | Q(title_zh__icontains=word) | Q(title_en__icontains=word)
    return query


def session_search_q(term: str) -> Q:
    query = Q()
    for word in _words(term):
        query &= (
            Q(reference__icontains=word)
            | Q(course__code__icontains=word)
            | Q(course__title_zh__icontains=word)
            | Q(course__title_en__icontains=word)
            | Q(venue__icontains=word)
            | Q(instructor__icontains=word)
        )
    return query


def enrolment_search_q(term: str) -> Q:
    query = Q()
    for word in _words(term):
        query &= (
            Q(session__reference__icontains=word)
            | Q(person__full_name__icontains=word)
            | Q(person__pinyin_name__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__username__iexact=word)
            | Q(organization__name_zh__icontains=word)
            | Q(organization__name_en__icontains=word)
        )
    return query


def certificate_search_q(term: str) -> Q:
    term = (term or "").strip()
    if not term:
        return Q()
    query = Q(number__iexact=term) | Q(verification_code=normalize_code(term))
    words = Q()
    for word in _words(term):
        words &= (
            Q(number__icontains=word)
            | Q(holder_name__icontains=word)
            | Q(organization__name_zh__icontains=word)
            | Q(organization__name_en__icontains=word)
        )
    return query | words


def message_search_q(term: str) -> Q:
    query = Q()
    for word in _words(term):
        query &= Q(to__icontains=word) | Q(subject__icontains=word)
    return query


# Courses ----------------------------------------------------------------------------------------------------


class TopicFilter(ChoicesFilter):
    title = _("topic")
    parameter_name = "topic"
    field = "topic"
    choices_class = Topic


class AudienceFilter(ChoicesFilter):
    title = _("audience")
    parameter_name = "audience"
    field = "audience"
    choices_class = Audience


class OfferedFilter(admin.SimpleListFilter):
    title = _("offered")
    parameter_name = "offered"

    def lookups(self, request, model_admin):
        return [("yes", _("Offered")), ("no", _("No longer offered"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_active=self.value() == "yes")
        return queryset


class CourseFilter(admin.SimpleListFilter):
    """One course (the office has a few dozen at most: one query)."""

    title = _("course")
    parameter_name = "course"
    field = "course_id"

    def lookups(self, request, model_admin):
        return [(str(pk), f"{code} {title}") for pk, code, title in self._courses()]

    @staticmethod
    def _courses():
        courses = Course.objects.order_by("code").only("pk", "code", "title_zh", "title_en")
        return [(course.pk, course.code, course.title) for course in courses]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.field: int(value)})
        return queryset


# Sessions ---------------------------------------------------------------------------------------------------

UPCOMING = "upcoming"
PAST = "past"
EVERY = "all"


class PeriodFilter(admin.SimpleListFilter):
    """Upcoming sessions (not yet ended) unless chosen otherwise; a search looks through every session."""

    title = pgettext_lazy("training sessions", "when")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [
            (UPCOMING, _("Upcoming and under way")),
            (PAST, pgettext_lazy("training sessions", "Held")),
            (EVERY, _("All")),
        ]

    def value(self):
        if self.parameter_name in self.used_parameters:
            return self.used_parameters[self.parameter_name]
        if self.request.GET.get(SEARCH_VAR, "").strip():
            return EVERY
        return UPCOMING

    def choices(self, changelist):
        # Replaces SimpleListFilter's own "All" (no parameter), which here means the upcoming ones.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == UPCOMING:
            return queryset.filter(ends_at__gt=now)
        if self.value() == PAST:
            return queryset.filter(ends_at__lte=now)
        return queryset


class SessionTopicFilter(TopicFilter):
    field = "course__topic"


class ModeFilter(ChoicesFilter):
    title = _("mode")
    parameter_name = "mode"
    field = "mode"
    choices_class = Mode


class SessionStateFilter(ChoicesFilter):
    title = _("state")
    parameter_name = "state"
    field = "state"
    choices_class = SessionState


# Enrolments -------------------------------------------------------------------------------------------------


class EnrolmentStateFilter(ChoicesFilter):
    title = _("state")
    parameter_name = "state"
    field = "state"
    choices_class = State


class EnrolmentCourseFilter(CourseFilter):
    field = "session__course_id"


class OrganizationInUseFilter(admin.SimpleListFilter):
    """The organisations that occur in the list (one query over the column), by their Chinese names."""

    title = _("organisation")
    parameter_name = "organization"

    def lookups(self, request, model_admin):
        found = (
            model_admin.model.objects.filter(organization__isnull=False)
            .order_by()
            .values_list("organization_id", "organization__name_zh")
            .distinct()
        )
        return sorted(((str(pk), name) for pk, name in found), key=lambda row: row[1])

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(organization_id=int(value))
        return queryset


# Certificates -----------------------------------------------------------------------------------------------

VALID = "valid"
EXPIRING = "expiring"
EXPIRED = "expired"
REVOKED = "revoked"


def certificate_status(certificate, today=None) -> str:
    """valid, expiring (valid for at most EXPIRING_DAYS more days), expired or revoked."""
    today = today or timezone.localdate()
    if certificate.revoked_at is not None:
        return REVOKED
    if certificate.valid_until < today:
        return EXPIRED
    if certificate.valid_until <= today + timedelta(days=EXPIRING_DAYS):
        return EXPIRING
    return VALID


class CertificateStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (VALID, _("Valid")),
            (EXPIRING, _("Expiring within 30 days")),
            (EXPIRED, _("Expired")),
            (REVOKED, _("Revoked")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        live = queryset.filter(revoked_at__isnull=True)
        value = self.value()
        if value == VALID:
            return live.filter(valid_until__gte=today)
        if value == EXPIRING:
            return live.filter(valid_until__gte=today, valid_until__lte=today + timedelta(days=EXPIRING_DAYS))
        if value == EXPIRED:
            return live.filter(valid_until__lt=today)
        if value == REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class CertificateCourseFilter(CourseFilter):
    field = "course_id"


class PredepartureFilter(admin.SimpleListFilter):
    title = _("pre-departure training")
    parameter_name = "predeparture"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(is_predeparture=self.value() == "yes")
        return queryset


# E-mails to trainees ----------------------------------------------------------------------------------------


class SentFilter(admin.SimpleListFilter):
    title = _("sent")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("yes", _("Sent")), ("no", _("Not sent yet"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(sent_at__isnull=self.value() == "no")
        return queryset
