"""Enrolling a travel application's delegation (those who lack valid pre-departure training) in one action.

Opened from the rule check of the application form (approvals.hooks.training_enrolment_url). The members
are listed with their pre-departure training on the departure date: a certificate valid that day, an
upcoming enrolment already made, or nothing; those without either are preselected. The chosen members go
into one upcoming pre-departure session in one action (services.enrol_people): places while they last,
then the waiting list.

Anyone of the application's organisation may use the page (the service then allows the liaison to enrol
anyone of the organisation, others the members of this application); the office sees every application,
and its approval officers enrol. Another organisation's application answers 404.
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from approvals.models import TravelApplication
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.errors import StateConflict
from foreign_affairs.forms import PortalForm, add_service_errors
from foreign_affairs.typography import enumerate_items

from .. import selectors, services
from ..models import Audience, Certificate
from ..workflow import State

# At most this many upcoming sessions are offered (the soonest); later ones are on the calendar.
SESSIONS_SHOWN = 12

# What each member's pre-departure training looks like on the departure date.
VALID, PENDING, WAITING, LATE, MISSING = "valid", "pending", "waiting", "late", "missing"
STATUS_TONES = {
    VALID: "success",
    PENDING: "progress",
    WAITING: "attention",
    LATE: "attention",
    MISSING: "danger",
}
# Those still lacking a place in a session before the departure: preselected, counted as needing it.
LACKING = (MISSING, LATE, WAITING)


class DelegationForm(PortalForm):
    """The members to enrol (checkboxes beside the list) and the session (one of those offered)."""

    people = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Members to enrol"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least one member to enrol."),
            "invalid_choice": gettext_lazy("Choose members of this delegation."),
        },
    )
    session = forms.TypedChoiceField(
        label=gettext_lazy("Session"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a session."),
            "invalid_choice": gettext_lazy(
                "This session is no longer open for enrolment or has no free place. Choose another one."
            ),
        },
    )

    def __init__(self, *args, members, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(row["person"].pk, row["person"].full_name) for row in members]
        self.fields["session"].choices = [(session.pk, session.reference) for session in sessions]


def _application(request, application_id) -> TravelApplication:
    """The application if the user may see it (the office every one, others their organisation's); 404."""
    return get_object_or_404(
        scope_for_user(TravelApplication.objects.select_related("organization"), request.user),
        pk=application_id,
    )


def _may_enrol(user) -> bool:
    """Who the page offers the form to: an approval officer, or a member of an organisation (the page is
    scoped to theirs). Leaders and managers of the office read it only."""
    if user.is_office_staff:
        return user.has_role(Role.OFFICER)
    return user.organization is not None


def _members(application: TravelApplication, on: date) -> list[dict]:
    """Each member with their pre-departure training on `on`: the certificate valid that day, else an
    upcoming enrolment (a place, a place in a session after `on`, or the waiting list), else the last
    certificate (expired or expiring before `on`). Four queries, whatever the size of the delegation."""
    members = list(application.members.select_related("person"))
    ids = [member.person_id for member in members]
    valid = {}
    for certificate in selectors.valid_predeparture(ids, on).order_by("valid_until"):
        valid[certificate.person_id] = certificate  # the one valid longest
    lacking = [pk for pk in ids if pk not in valid]
    pending = selectors.pending_enrolment(lacking)
    earlier = {}
    if lacking:
        for certificate in Certificate.objects.filter(
            person_id__in=lacking, is_predeparture=True, revoked_at__isnull=True, issued_on__lte=on
        ).order_by("valid_until"):
            earlier[certificate.person_id] = certificate
    rows = []
    for member in members:
        person_id = member.person_id
        enrolment = pending.get(person_id)
        if person_id in valid:
            status = VALID
        elif enrolment is not None and enrolment.state == State.WAITING:
            status = WAITING
        elif enrolment is not None:
            starts_on = timezone.localtime(enrolment.session.starts_at).date()
            status = LATE if starts_on > on else PENDING
        else:
            status = MISSING
        rows.append(
            {
                "member": member,
                "person": member.person,
                "status": status,
                "tone": STATUS_TONES[status],
                "certificate": valid.get(person_id),
                "enrolment": enrolment if status in (PENDING, WAITING, LATE) else None,
                "expired": earlier.get(person_id) if status != VALID else None,
                "lacking": status in LACKING,
            }
        )
    return rows


def _sessions(on: date) -> list:
    """Upcoming pre-departure sessions for enterprise staff still open for enrolment with a free place,
    soonest first; each says whether it starts after the departure date."""
    now = timezone.now()
    sessions = list(
        selectors.upcoming_sessions(predeparture_only=True, now=now)
        .filter(enrolment_deadline__gte=now, free__gt=0)
        .exclude(course__audience=Audience.OFFICE)[:SESSIONS_SHOWN]
    )
    for session in sessions:
        session.after_departure = timezone.localtime(session.starts_at).date() > on
    return sessions


def _default_session(sessions: list, needed: int):
    """The session preselected, chosen as selectors.next_session_with_places chooses (the soonest with
    places for everyone to enrol, else the soonest with a place) but among those offered, without
    another query."""
    return next((s for s in sessions if s.free >= needed), None) or (sessions[0] if sessions else None)


def _when(session) -> str:
    return formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")


def _report(request, session, outcome) -> None:
    """What enrolling did, as messages on the page the form goes back to."""
    if outcome.enrolled:
        messages.success(
            request,
            _("Enrolled in the session of %(when)s: %(names)s.")
            % {"when": _when(session), "names": enumerate_items(e.trainee_name for e in outcome.enrolled)},
        )
    if outcome.waiting:
        messages.warning(
            request,
            _(
                "The session is full. On its waiting list: %(names)s. They get a place, and are told, as soon "
                "as one frees up; or choose another session for them."
            )
            % {"names": enumerate_items(e.trainee_name for e in outcome.waiting)},
        )
    if outcome.already:
        messages.info(
            request,
            _("Already enrolled in this session, left as they were: %(names)s.")
            % {"names": enumerate_items(person.full_name for person in outcome.already)},
        )


@login_required
@require_http_methods(["GET", "POST"])
def delegation(request, application_id):
    application = _application(request, application_id)
    today = timezone.localdate()
    on = application.departure_date or today
    members = _members(application, on)
    sessions = _sessions(on)
    may_enrol = _may_enrol(request.user)
    lacking = [row for row in members if row["lacking"]]
    status = 200
    if request.method == "POST" and may_enrol:
        form = DelegationForm(request.POST, members=members, sessions=sessions)
        if form.is_valid():
            session = next(s for s in sessions if s.pk == form.cleaned_data["session"])
            chosen = set(form.cleaned_data["people"])
            people = [row["person"] for row in members if row["person"].pk in chosen]
            try:
                outcome = services.enrol_people(
                    session=session, actor=request.user, people=people, application=application
                )
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("Your role does not allow this action."))
                status = 403
            except StateConflict as error:
                form.add_error("session", error.message)
                status = 409
            else:
                _report(request, session, outcome)
                return redirect(reverse("training:delegation", args=[application.pk]))
        else:
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    else:
        default = _default_session(sessions, len(lacking))
        form = DelegationForm(
            members=members,
            sessions=sessions,
            initial={
                "people": [row["person"].pk for row in lacking],
                "session": default.pk if default else None,
            },
        )
    chosen_people = {str(value) for value in (form["people"].value() or [])}
    chosen_session = str(form["session"].value() or "")
    return render(
        request,
        "training/delegation.html",
        {
            "application": application,
            "on": on,
            "departure_known": application.departure_date is not None,
            "past_departure": application.departure_date is not None and application.departure_date < today,
            "members": members,
            "lacking": lacking,
            "pending": [row for row in members if row["status"] == PENDING],
            "sessions": sessions,
            "form": form,
            "chosen_people": chosen_people,
            "chosen_session": chosen_session,
            "may_enrol": may_enrol,
        },
        status=status,
    )


urlpatterns = [path("delegation/<int:application_id>/", delegation, name="delegation")]
