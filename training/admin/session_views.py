"""The sections of a session's page in the back office and the views behind their forms: the register, the
waiting list, enrolling people, an online session's record, and the venue's check-in page (for the projector,
its QR code and code changing every minute). Each view calls one service of training.services and comes back
to the page; a refusal becomes a message there."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from foreign_affairs import typography
from foreign_affairs.accounts.models import Person
from foreign_affairs.admin_pages import autocomplete_response, form_error_messages
from foreign_affairs.admin_queue import REFUSALS, is_officer, report_refusal
from foreign_affairs.documents.qr import qr_svg_data_uri

from .. import services
from ..models import Audience, Enrolment
from ..services.attendance import check_in_window
from ..workflow import PLACE_STATES, Mode, SessionState, State
from .common import enrolment_tag, person_label, trainee_label, when
from .forms import EnrolPeopleForm, OnlineRecordForm

# Attendance recorded, whichever way (the register, the QR code, the online record).
PRESENT_STATES = (State.ATTENDED, State.COMPLETED, State.FAILED)
# The register changes these (a completed or failed course stays as it is).
MARKABLE = {True: (State.ENROLLED, State.ABSENT), False: (State.ENROLLED, State.ATTENDED)}
# How often the venue's page asks for the current code (the code changes every minute).
CHECKIN_POLL_SECONDS = 20


def posted_pk(request, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def names_of(enrolments) -> str:
    return typography.enumerate_items(enrolment.trainee_name for enrolment in enrolments)


class SessionPageViews:
    """The session's page's sections and their views (mixed into SessionAdmin)."""

    checkin_template = "admin/training/session/checkin.html"
    checkin_live_template = "admin/training/session/includes/checkin_live.html"
    online_result_key = "training-online-record-%s"

    def page_views(self) -> list[tuple]:
        return [
            ("<path:object_id>/register/", self.register_view, "register"),
            ("<path:object_id>/waiting/", self.waiting_view, "waiting"),
            ("<path:object_id>/enrol/", self.enrol_view, "enrol"),
            ("<path:object_id>/online/", self.online_view, "online"),
            ("<path:object_id>/checkin/", self.checkin_view, "checkin"),
            ("<path:object_id>/checkin/live/", self.checkin_live_view, "checkin_live"),
        ]

    def sections_context(self, request, session, *, officer: bool, now) -> dict:
        """The register, the waiting list and the cancelled enrolments (one query), and the forms for an
        officer while they can change something."""
        enrolments = list(
            Enrolment.objects.filter(session=session)
            .select_related("person", "user", "organization", "certificate", "enrolled_by")
            .order_by("created_at", "pk")
        )
        for enrolment in enrolments:
            enrolment.trainee_label = trainee_label(enrolment)
            enrolment.state_tag = enrolment_tag(enrolment.state)
            enrolment.admin_url = reverse("admin:training_enrolment_change", args=[enrolment.pk])
            enrolment.markable = enrolment.state in (State.ENROLLED, State.ABSENT, State.ATTENDED)
            certificate = getattr(enrolment, "certificate", None)
            enrolment.certificate_url = (
                reverse("admin:training_certificate_change", args=[certificate.pk]) if certificate else ""
            )
        register = [e for e in enrolments if e.state in PLACE_STATES]
        waiting = [e for e in enrolments if e.state == State.WAITING]
        cancelled = [e for e in enrolments if e.state == State.CANCELLED]
        scheduled = session.state == SessionState.SCHEDULED
        opens, closes = check_in_window(session)
        register_open = scheduled and now >= opens
        before_start = scheduled and now < session.starts_at
        free = max(session.capacity - len(register), 0)
        office_course = session.course.audience == Audience.OFFICE
        urls = {
            name: self._url(name, session.pk, request=request)
            for name in ("register", "waiting", "enrol", "online", "checkin")
        }
        return {
            "register": register,
            "waiting_list": waiting,
            "cancelled_enrolments": cancelled,
            "taken": len(register),
            "free": free,
            "present": sum(1 for e in register if e.state in PRESENT_STATES),
            "register_open": register_open,
            "register_opens": date_format(timezone.localtime(opens), "DATETIME_FORMAT"),
            "may_mark": officer and register_open,
            "may_give_place": officer and before_start,
            "give_place_adds": free == 0,
            "enrol_form": EnrolPeopleForm() if officer and before_start and not office_course else None,
            "office_course": office_course,
            "before_start": before_start,
            "is_online": session.mode == Mode.ONLINE,
            "online_form": OnlineRecordForm()
            if officer and scheduled and session.mode == Mode.ONLINE
            else None,
            "online_result": request.session.pop(self.online_result_key % session.pk, None),
            "checkin_url": urls["checkin"] if officer and scheduled else "",
            "checkin_closes": closes,
            "urls": urls,
        }

    # The register

    def register_view(self, request, object_id):
        """The ticked trainees marked attended or absent (services.mark_many); those whose course is
        finished (completed, not passed) stay as they are."""
        session = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, session, "register")
        action = request.POST.get("mark", "")
        ids = {int(value) for value in request.POST.getlist("enrolment") if value.isdigit()}
        if action not in ("attended", "absent"):
            messages.warning(request, gettext("Choose “Mark attended” or “Mark absent”."))
            return self._back(request, session, "register")
        if not ids:
            messages.warning(request, gettext("Tick the trainees to mark first."))
            return self._back(request, session, "register")
        if session.state != SessionState.SCHEDULED or timezone.now() < check_in_window(session)[0]:
            messages.warning(
                request, gettext("The register opens when check-in opens, shortly before the session.")
            )
            return self._back(request, session, "register")
        attended = action == "attended"
        target = State.ATTENDED if attended else State.ABSENT
        rows = dict(Enrolment.objects.filter(session=session, pk__in=ids).values_list("pk", "state"))
        chosen = [pk for pk, state in rows.items() if state in MARKABLE[attended]]
        finished = [pk for pk, state in rows.items() if state not in MARKABLE[attended] and state != target]
        try:
            changed = services.mark_many(
                session=session,
                actor=request.user,
                attended_ids=chosen if attended else (),
                absent_ids=() if attended else chosen,
            )
        except REFUSALS as error:
            report_refusal(request, error)
            return self._back(request, session, "register")
        if attended:
            text = ngettext(
                "%(count)d trainee is marked attended.", "%(count)d trainees are marked attended.", changed
            )
        else:
            text = ngettext(
                "%(count)d trainee is marked absent.", "%(count)d trainees are marked absent.", changed
            )
        parts = [text % {"count": changed}]
        completed = Enrolment.objects.filter(pk__in=chosen, state=State.COMPLETED).count() if attended else 0
        if completed:
            parts.append(
                ngettext(
                    "%(count)d completed the course: the certificate is being prepared.",
                    "%(count)d completed the course: the certificates are being prepared.",
                    completed,
                )
                % {"count": completed}
            )
        if finished:
            parts.append(
                ngettext(
                    "%(count)d was left as it is: a finished course or the waiting list is not changed here.",
                    "%(count)d were left as they are: a finished course or the waiting list is not changed here.",
                    len(finished),
                )
                % {"count": len(finished)}
            )
        messages.success(request, " ".join(parts))
        return self._back(request, session, "register")

    # The waiting list

    def waiting_view(self, request, object_id):
        """A place for the first on the waiting list: a free one (services.promote_waiting), or one more
        place in the session (services.session_update), which goes to them."""
        session = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, session, "waiting")
        first = (
            Enrolment.objects.filter(session=session, state=State.WAITING)
            .select_related("person", "user")
            .order_by("created_at", "pk")
            .first()
        )
        if first is None or first.pk != posted_pk(request, "enrolment"):
            messages.warning(request, gettext("The waiting list has changed meanwhile; look at it again."))
            return self._back(request, session, "waiting")
        if session.state != SessionState.SCHEDULED or timezone.now() >= session.starts_at:
            messages.warning(
                request, gettext("Places are given from the waiting list until the session starts.")
            )
            return self._back(request, session, "waiting")
        taken = Enrolment.objects.filter(session=session, state__in=PLACE_STATES).count()
        try:
            if taken < session.capacity:
                services.promote_waiting(session=session, actor=request.user)
            else:
                services.session_update(session=session, actor=request.user, data={"capacity": taken + 1})
        except REFUSALS as error:
            report_refusal(request, error)
            return self._back(request, session, "waiting")
        first.refresh_from_db(fields=["state"])
        if first.state == State.ENROLLED:
            messages.success(
                request,
                gettext("%(name)s has a place now and is told so.") % {"name": first.trainee_name},
            )
        else:
            messages.warning(request, gettext("No place could be given; look at the waiting list again."))
        return self._back(request, session, "waiting")

    # Enrolling people

    def enrol_view(self, request, object_id):
        session = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, session, "enrol")
        form = EnrolPeopleForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form_error_messages(form)))
            return self._back(request, session, "enrol")
        try:
            outcome = services.enrol_people(session=session, actor=request.user, people=form.chosen())
        except REFUSALS as error:
            report_refusal(request, error)
            return self._back(request, session, "enrol")
        parts = []
        if outcome.enrolled:
            parts.append(gettext("Enrolled: %(names)s.") % {"names": names_of(outcome.enrolled)})
        if outcome.waiting:
            parts.append(gettext("On the waiting list: %(names)s.") % {"names": names_of(outcome.waiting)})
        if outcome.already:
            parts.append(
                gettext("Already enrolled or waiting: %(names)s.")
                % {"names": typography.enumerate_items(person.full_name for person in outcome.already)}
            )
        level = messages.SUCCESS if outcome.enrolled or outcome.waiting else messages.INFO
        messages.add_message(request, level, " ".join(parts))
        return self._back(request, session, "register")

    def people_view(self, request):
        """The travellers whose name, pinyin, organisation, e-mail or passport number holds the term, for the
        enrolment form's autocomplete (select2's JSON; 403 for anyone but an officer)."""
        if not is_officer(request.user):
            raise PermissionDenied
        found = Person.objects.select_related("organization").order_by("full_name", "pk")
        for word in request.GET.get("term", "").split()[:5]:
            word = word[:100]
            found = found.filter(
                Q(full_name__icontains=word)
                | Q(pinyin_name__icontains=word)
                | Q(organization__name_zh__icontains=word)
                | Q(organization__name_en__icontains=word)
                | Q(email__iexact=word)
                | Q(passport_number__iexact=word)
            )
        return autocomplete_response(request, found, person_label)

    # An online session's record

    def online_view(self, request, object_id):
        """The meeting platform's list of participants pasted: those enrolled are marked attended
        (services.online_record); the page then lists them and the lines that matched nobody."""
        session = self._acting_object(request, object_id)
        if request.method != "POST":
            return self._back(request, session, "online")
        form = OnlineRecordForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form_error_messages(form)))
            return self._back(request, session, "online")
        try:
            marked, unmatched = services.online_record(
                session=session, actor=request.user, text=form.cleaned_data["record"]
            )
        except REFUSALS as error:
            report_refusal(request, error)
            return self._back(request, session, "online")
        request.session[self.online_result_key % session.pk] = {
            "marked": [enrolment.trainee_name for enrolment in marked],
            "unmatched": unmatched[:200],
            "unmatched_more": max(len(unmatched) - 200, 0),
        }
        messages.success(
            request,
            ngettext(
                "%(count)d trainee is marked attended from the record.",
                "%(count)d trainees are marked attended from the record.",
                len(marked),
            )
            % {"count": len(marked)},
        )
        return self._back(request, session, "online")

    # The venue's check-in page

    def checkin_context(self, request, session) -> dict:
        """What the venue's screen shows now: the code and its QR code while check-in is open (from shortly
        before the start until the end), else when it opens or that it is over; and how many are in."""
        now = timezone.now()
        opens, closes = check_in_window(session)
        is_open = session.state == SessionState.SCHEDULED and opens <= now <= closes
        code = services.code_for(session, now) if is_open else ""
        link = (
            f"{settings.PORTAL_BASE_URL}{reverse('training:check_in', args=[session.pk, code])}"
            if code
            else ""
        )
        counts = Enrolment.objects.filter(session=session, state__in=PLACE_STATES).values_list(
            "state", flat=True
        )
        states = list(counts)
        if session.state == SessionState.CANCELLED:
            closed = gettext("This session was cancelled.")
        elif now > closes:
            closed = gettext("The session is over; check-in is closed.")
        elif not is_open:
            closed = gettext("Check-in opens at %(time)s, %(minutes)d minutes before the session starts.") % {
                "time": date_format(timezone.localtime(opens), "DATETIME_FORMAT"),
                "minutes": settings.TRAINING_CHECK_IN_OPENS_MINUTES,
            }
        else:
            closed = ""
        return {
            "session": session,
            "code": code,
            "link": link,
            "qr": qr_svg_data_uri(link, scale=10, border=2) if link else "",
            "closed": closed,
            "present": sum(1 for state in states if state in PRESENT_STATES),
            "expected": len(states),
            "shown_at": timezone.localtime(now),
            "poll_seconds": CHECKIN_POLL_SECONDS,
            "live_url": self._url("checkin_live", session.pk),
        }

    def _venue_session(self, request, object_id):
        session = self._object_or_404(request, object_id)
        if not self.may_act(request):
            raise PermissionDenied  # the code lets anyone enrolled check in: officers only
        return session

    def checkin_view(self, request, object_id):
        session = self._venue_session(request, object_id)
        context = {
            **self.checkin_context(request, session),
            "title": f"{session.course.title} · {session.reference}",
            "back_url": self._url("change", session.pk),
            "when": when(session),
        }
        response = TemplateResponse(request, self.checkin_template, context)
        response["Cache-Control"] = "no-store"
        return response

    def checkin_live_view(self, request, object_id):
        """The part of the venue's page that changes (htmx asks for it every CHECKIN_POLL_SECONDS)."""
        session = self._venue_session(request, object_id)
        response = TemplateResponse(
            request, self.checkin_live_template, self.checkin_context(request, session)
        )
        response["Cache-Control"] = "no-store"
        return response
