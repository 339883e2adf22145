"""The calendar of upcoming sessions (public), a course, a session and enrolling in it.

Everyone reads the calendar, a course and a session, signed in or not; the sessions of courses for the
office's own staff are listed to the office only. A signed-in member of an organisation enrols themself
(services.enrol_self: their traveller record, made on the first enrolment); the organisation's liaison also
enrols colleagues, chosen among its travellers (services.enrol_people); office staff enrol themselves in the
office's own courses and enrol others in the back office. Course materials download for signed-in users only.

A refusal of the services (the deadline passed, the session started or was cancelled, a course for another
audience, a role that does not allow it) comes back as a message on the session's page, never an error page;
the session's page says beforehand why enrolment is closed, and then shows no form.

The calendar costs the same few queries however many sessions it lists.
"""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from foreign_affairs import typography
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import person_list_for
from foreign_affairs.documents.responses import document_download
from foreign_affairs.errors import StateConflict
from foreign_affairs.page_actions import refusal_message

from .. import selectors, services
from ..forms import CalendarFilterForm, EnrolPeopleForm
from ..models import Audience, Course, CourseMaterial, Enrolment, Session
from ..workflow import STATE_TONES, SessionState, State

PAGE_SIZE = 20
# How many of a course's coming sessions its page lists.
COURSE_SESSIONS = 20


# What the pages show ---------------------------------------------------------------------------------------


def is_office(user) -> bool:
    return user.is_authenticated and user.is_office_staff


def visible_sessions(user):
    """The coming sessions `user` sees listed: the office's own courses only to the office's staff."""
    sessions = selectors.upcoming_sessions()
    if not is_office(user):
        sessions = sessions.exclude(course__audience=Audience.OFFICE)
    return sessions


def local(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def labelled(session: Session, now=None) -> Session:
    """A session annotated by selectors.with_places, with what the pages say of it."""
    now = now or timezone.now()
    session.free_places = max(session.free, 0)
    session.is_full = session.free <= 0
    session.deadline_passed = now > session.enrolment_deadline
    session.is_open = (
        session.state == SessionState.SCHEDULED and not session.deadline_passed and now < session.starts_at
    )
    session.one_day = timezone.localdate(session.starts_at) == timezone.localdate(session.ends_at)
    return session


def closed_reason(session: Session, now=None) -> str:
    """Why nobody enrols in `session` from these pages any more, or "" while it is open."""
    now = now or timezone.now()
    if session.state == SessionState.CANCELLED:
        return _("This session was cancelled.")
    if now >= session.ends_at:
        return _("This session took place on %(date)s.") % {
            "date": formats.date_format(timezone.localdate(session.starts_at))
        }
    if now >= session.starts_at:
        return _("This session has started; enrolment is closed.")
    if now > session.enrolment_deadline:
        return _("Enrolment closed on %(deadline)s.") % {"deadline": local(session.enrolment_deadline)}
    return ""


def own_enrolments(user, session_ids) -> dict:
    """The signed-in user's own enrolments (a place or the waiting list) in the sessions: {session id:
    enrolment}. One query, two for an enterprise user (their traveller record)."""
    if not user.is_authenticated or not session_ids:
        return {}
    if user.is_office_staff:
        record = selectors.learning_record(user=user)
    else:
        person = selectors.person_for_user(user)
        if person is None:
            return {}
        record = selectors.learning_record(person=person)
    found = (
        record.prefetch_related(None)
        .select_related(None)
        .filter(session_id__in=session_ids)
        .exclude(state=State.CANCELLED)
    )
    return {enrolment.session_id: enrolment for enrolment in found}


def back_office(name: str, *args) -> str:
    """An address in the back office, its start page while the page is not there."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse("admin:index")


# The calendar ----------------------------------------------------------------------------------------------


def _month_span(first):
    """The first moment of the month and of the next one, in the portal's time zone."""
    following = (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )
    return (
        timezone.make_aware(datetime.combine(first, time.min)),
        timezone.make_aware(datetime.combine(following, time.min)),
    )


@require_safe
def calendar(request):
    user = request.user
    filters = CalendarFilterForm(request.GET or None)
    chosen = filters.chosen()
    sessions = visible_sessions(user)
    if chosen["topic"]:
        sessions = sessions.filter(course__topic=chosen["topic"])
    if chosen["mode"]:
        sessions = sessions.filter(mode=chosen["mode"])
    if chosen["month"]:
        start, end = _month_span(chosen["month"])
        sessions = sessions.filter(starts_at__gte=start, starts_at__lt=end)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    page.object_list = [labelled(session, now) for session in page.object_list]
    mine = own_enrolments(user, [session.pk for session in page.object_list])
    for session in page.object_list:
        session.mine = mine.get(session.pk)
        session.mine_tone = STATE_TONES.get(session.mine.state, "neutral") if session.mine else ""
    return render(
        request,
        "training/calendar.html",
        {
            "filters": filters,
            "filtered": any(chosen.values()),
            "page": page,
            "tab": "calendar",
        },
    )


# A course --------------------------------------------------------------------------------------------------


@require_safe
def course(request, pk):
    user = request.user
    found = get_object_or_404(Course, pk=pk)
    materials = list(
        CourseMaterial.objects.filter(application=found).select_related("document").order_by("kind", "pk")
    )
    now = timezone.now()
    sessions = [
        labelled(session, now)
        for session in visible_sessions(user).filter(course=found)[: COURSE_SESSIONS + 1]
    ]
    more = len(sessions) > COURSE_SESSIONS
    sessions = sessions[:COURSE_SESSIONS]
    mine = own_enrolments(user, [session.pk for session in sessions])
    for session in sessions:
        session.mine = mine.get(session.pk)
        session.mine_tone = STATE_TONES.get(session.mine.state, "neutral") if session.mine else ""
    return render(
        request,
        "training/course.html",
        {
            "course": found,
            "materials": materials,
            "sessions": sessions,
            "more_sessions": more,
            "for_office": found.audience == Audience.OFFICE,
            "tab": "calendar",
        },
    )


@login_required
@require_safe
def material(request, pk):
    found = get_object_or_404(CourseMaterial.objects.select_related("document"), pk=pk)
    return document_download(found.document)


# A session and enrolling -----------------------------------------------------------------------------------


def _session_or_404(pk) -> Session:
    return get_object_or_404(selectors.with_places(Session.objects.select_related("course")), pk=pk)


def _waiting_position(enrolment) -> int:
    """The place of a waiting enrolment on its session's waiting list (1: the next to get a place)."""
    ahead = Enrolment.objects.filter(session_id=enrolment.session_id, state=State.WAITING).filter(
        Q(created_at__lt=enrolment.created_at) | Q(created_at=enrolment.created_at, pk__lt=enrolment.pk)
    )
    return ahead.count() + 1


def _session_page(request, session: Session, *, people_form=None, status: int = 200):
    user = request.user
    now = timezone.now()
    labelled(session, now)
    closed = closed_reason(session, now)
    for_office = session.course.audience == Audience.OFFICE
    context = {
        "session": session,
        "course": session.course,
        "closed": closed,
        "for_office": for_office,
        "later": None,
        "own": None,
        "ours": [],
        "may_enrol_self": False,
        "people_form": None,
        "people_total": 0,
        "note": "",
        "tab": "calendar",
    }
    if closed and session.state == SessionState.SCHEDULED:
        context["later"] = (
            visible_sessions(user)
            .filter(course=session.course, enrolment_deadline__gte=now)
            .exclude(pk=session.pk)
            .first()
        )
    if not user.is_authenticated:
        context["sign_in"] = f"{reverse('login')}?{urlencode({'next': request.path})}"
        return render(request, "training/session.html", context, status=status)
    own = own_enrolments(user, [session.pk]).get(session.pk)
    if own is not None:
        own.tone = STATE_TONES.get(own.state, "neutral")
        if own.state == State.WAITING:
            own.position = _waiting_position(own)
    context["own"] = own
    if user.is_office_staff:
        context["may_enrol_self"] = for_office and own is None and not closed
        if not for_office:
            context["note"] = _(
                "Enterprise staff enrol here. Officers enrol trainees and manage the waiting list in the "
                "back office."
            )
            context["back_office"] = back_office("admin:training_session_change", session.pk)
        return render(request, "training/session.html", context, status=status)
    organization = user.organization
    if organization is None:
        context["note"] = _(
            "Members of an organisation registered with the office, and the office's staff, enrol in training."
        )
        return render(request, "training/session.html", context, status=status)
    if for_office:
        context["note"] = _("This course is for the office's own staff.")
        return render(request, "training/session.html", context, status=status)
    ours = list(
        selectors.enrolments_for(user)
        .filter(session=session)
        .exclude(state=State.CANCELLED)
        .order_by("created_at", "pk")
    )
    for enrolment in ours:
        enrolment.tone = STATE_TONES.get(enrolment.state, "neutral")
    context["ours"] = ours
    context["may_enrol_self"] = own is None and not closed
    if user.has_role(Role.LIAISON) and not closed:
        present = [enrolment.person_id for enrolment in ours if enrolment.person_id]
        people = person_list_for(user).select_related(None).exclude(pk__in=present)
        form = people_form or EnrolPeopleForm(people=people)
        context["people_form"] = form
        context["people_total"] = len(form.fields["people"].choices)
    return render(request, "training/session.html", context, status=status)


@require_safe
def session(request, pk):
    return _session_page(request, _session_or_404(pk))


def _names(items) -> str:
    return typography.enumerate_items(
        item.trainee_name if hasattr(item, "trainee_name") else item.full_name for item in items
    )


def _refused(request, error) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, refusal_message(error))
    elif isinstance(error, StateConflict):
        messages.error(request, str(error.message))
    else:
        messages.error(request, " ".join(str(message) for message in error.messages))


def _told_self(request, enrolment) -> None:
    session = enrolment.session
    if enrolment.state == State.WAITING:
        messages.warning(
            request,
            _(
                "The session is full: you are on its waiting list. When a place frees up it goes to the first "
                "on the list, and you are told."
            ),
        )
    else:
        messages.success(
            request,
            _("You are enrolled in “%(course)s” on %(date)s. You are reminded the day before.")
            % {"course": session.course.title, "date": local(session.starts_at)},
        )


def _told_people(request, outcome) -> None:
    if outcome.enrolled:
        messages.success(
            request,
            ngettext(
                "%(count)d colleague enrolled: %(names)s.",
                "%(count)d colleagues enrolled: %(names)s.",
                len(outcome.enrolled),
            )
            % {"count": len(outcome.enrolled), "names": _names(outcome.enrolled)},
        )
    if outcome.waiting:
        messages.warning(
            request,
            _(
                "The session is full: %(names)s put on its waiting list. Places that free up go to them in "
                "order, and they are told."
            )
            % {"names": _names(outcome.waiting)},
        )
    if outcome.already:
        messages.info(
            request,
            _("Already enrolled or on the waiting list, left as they were: %(names)s.")
            % {"names": _names(outcome.already)},
        )


@require_POST
def enrol(request, pk):
    found = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    here = reverse("training:session", args=[found.pk])
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(here)
    if request.POST.get("action") == "people":
        people = (
            person_list_for(user).select_related(None)
            if user.organization is not None and not user.is_office_staff
            else person_list_for(user).none()
        )
        form = EnrolPeopleForm(request.POST, people=people)
        if not form.is_valid():
            return _session_page(request, _session_or_404(pk), people_form=form, status=400)
        try:
            outcome = services.enrol_people(session=found, actor=user, people=form.cleaned_data["people"])
        except (PermissionDenied, StateConflict, ValidationError) as error:
            _refused(request, error)
        else:
            _told_people(request, outcome)
        return redirect(here)
    try:
        enrolment = services.enrol_self(session=found, actor=user)
    except ValidationError as error:
        if own_enrolments(user, [found.pk]):
            messages.info(request, _("You are already enrolled in this session, or on its waiting list."))
        else:
            _refused(request, error)
    except (PermissionDenied, StateConflict) as error:
        _refused(request, error)
    else:
        _told_self(request, enrolment)
    return redirect(here)


urlpatterns = [
    path("", calendar, name="calendar"),
    path("courses/<int:pk>/", course, name="course"),
    path("sessions/<int:pk>/", session, name="session"),
    path("sessions/<int:pk>/enrol/", enrol, name="enrol"),
    path("materials/<int:pk>/", material, name="material"),
]
