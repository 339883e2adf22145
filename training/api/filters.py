"""The filters of the training API's lists (django-filter, foreign_affairs.filters): an invalid value answers
400 naming the parameter. A search is words, each of which must occur in one of the list's columns (part
of a word too, any case)."""

from datetime import timedelta
from functools import reduce
from operator import and_, or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.filters import IdFilter, ListFilterSet, SearchFilter

from ..models import Audience, Certificate, CertificateStatus, Course, Enrolment, Session, Topic
from ..workflow import Mode, SessionLanguage, SessionState, State


def words_q(*columns: str):
    """The search of a list over `columns`: every word of the term in one of them."""

    def search_q(term: str) -> Q:
        words = term.split()[:10]
        return reduce(
            and_, (reduce(or_, (Q(**{f"{c}__icontains": word}) for c in columns)) for word in words), Q()
        )

    return search_q


class CourseFilter(ListFilterSet):
    search = SearchFilter(
        words_q("code", "title_zh", "title_en", "description_zh", "description_en"),
        help_text="Words in Chinese or English, or parts of words: each must occur in the code, the title or "
        "the description.",
    )
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=Topic.choices, empty_label=_("All topics"))
    audience = django_filters.ChoiceFilter(
        label=_("Audience"), choices=Audience.choices, empty_label=_("All audiences")
    )
    assessment = django_filters.BooleanFilter(
        field_name="pass_mark",
        lookup_expr="isnull",
        exclude=True,
        label=_("With an assessment"),
        help_text="true: courses with an assessment; false: those without.",
    )

    class Meta(ListFilterSet.Meta):
        model = Course
        fields = []


WHEN_CHOICES = [
    ("upcoming", _("Upcoming")),
    ("past", _("Past")),
    ("all", _("All")),
]


class WhenFilter(django_filters.ChoiceFilter):
    """upcoming (not given: the default) — not over yet, soonest first; past — over, latest first; all —
    in the order they start."""

    def filter(self, queryset, value):
        now = timezone.now()
        if value == "all":
            return queryset.order_by("starts_at", "pk")
        if value == "past":
            return queryset.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
        return queryset.filter(ends_at__gt=now).order_by("starts_at", "pk")


class OpenFilter(django_filters.BooleanFilter):
    """Open for enrolment: scheduled, not started, before the enrolment deadline."""

    def filter(self, queryset, value):
        if value is None:
            return queryset
        now = timezone.now()
        is_open = Q(state=SessionState.SCHEDULED, enrolment_deadline__gte=now, starts_at__gt=now)
        return queryset.filter(is_open if value else ~is_open)


class SessionFilter(ListFilterSet):
    when = WhenFilter(
        choices=WHEN_CHOICES,
        label=_("When"),
        empty_label=None,
        help_text="upcoming (default): sessions not over yet, soonest first; past: those over, latest first; "
        "all: every session, in the order they start.",
    )
    course = IdFilter(field_name="course_id", label=_("Course"), help_text="The course's id.")
    topic = django_filters.ChoiceFilter(
        field_name="course__topic", label=_("Topic"), choices=Topic.choices, empty_label=_("All topics")
    )
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=Mode.choices, empty_label=_("Any mode"))
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=SessionLanguage.choices, empty_label=_("Any language")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=SessionState.choices, empty_label=_("All states")
    )
    open = OpenFilter(
        label=_("Open for enrolment"),
        help_text="true: sessions still taking enrolments (a full one takes a waiting list); false: the others.",
    )
    date_from = django_filters.DateFilter(
        field_name="starts_at__date",
        lookup_expr="gte",
        label=_("From"),
        help_text="YYYY-MM-DD: sessions starting on this day or later.",
    )
    date_to = django_filters.DateFilter(
        field_name="starts_at__date",
        lookup_expr="lte",
        label=_("Until"),
        help_text="YYYY-MM-DD: sessions starting on this day or earlier.",
    )

    class Meta(ListFilterSet.Meta):
        model = Session
        fields = []


class EnrolmentFilter(ListFilterSet):
    search = SearchFilter(
        words_q("person__full_name", "person__pinyin_name", "session__reference", "session__course__code"),
        help_text="Words, or parts of words: each must occur in the trainee's name, the session's reference or "
        "the course's code.",
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=State.choices, empty_label=_("All states"))
    session = IdFilter(field_name="session_id", label=_("Session"), help_text="The session's id.")
    person = IdFilter(field_name="person_id", label=_("Trainee"), help_text="The traveller's id.")
    course = IdFilter(field_name="session__course_id", label=_("Course"), help_text="The course's id.")
    application = IdFilter(
        field_name="application_id", label=_("Travel application"), help_text="The travel application's id."
    )
    organization = IdFilter(
        field_name="organization_id", label=_("Organisation"), help_text="The organisation's id."
    )

    class Meta(ListFilterSet.Meta):
        model = Enrolment
        fields = []


class CertificateStatusFilter(django_filters.ChoiceFilter):
    def filter(self, queryset, value):
        if not value:
            return queryset
        today = timezone.localdate()
        if value == CertificateStatus.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        if value == CertificateStatus.EXPIRED:
            return queryset.filter(revoked_at__isnull=True, valid_until__lt=today)
        return queryset.filter(revoked_at__isnull=True, valid_until__gte=today)


class ExpiringWithinFilter(django_filters.NumberFilter):
    """Valid today and expiring within the next N days (0: today)."""

    field_class = forms.IntegerField

    def filter(self, queryset, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            revoked_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=int(value)),
        )


class CertificateFilter(ListFilterSet):
    search = SearchFilter(
        words_q("number", "holder_name", "verification_code", "course__code"),
        help_text="Words, or parts of words: each must occur in the number, the holder's name, the "
        "verification code or the course's code.",
    )
    status = CertificateStatusFilter(
        label=_("Status"),
        choices=CertificateStatus.choices,
        empty_label=_("All"),
        help_text="Today's status.",
    )
    person = IdFilter(field_name="person_id", label=_("Holder"), help_text="The traveller's id.")
    course = IdFilter(field_name="course_id", label=_("Course"), help_text="The course's id.")
    organization = IdFilter(
        field_name="organization_id", label=_("Organisation"), help_text="The organisation's id."
    )
    predeparture = django_filters.BooleanFilter(
        field_name="is_predeparture",
        label=_("Pre-departure training"),
        help_text="true: certificates of pre-departure training; false: the others.",
    )
    expiring_within = ExpiringWithinFilter(
        label=_("Expiring within (days)"),
        min_value=0,
        max_value=3660,
        help_text="Valid today and expiring within this many days.",
    )

    class Meta(ListFilterSet.Meta):
        model = Certificate
        fields = []
