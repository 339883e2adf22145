"""My training, the organisation's learning records, an enrolment (cancel) and the certificate's download.

- /training/my/ ("My training"): the signed-in user's own learning record: the traveller record of an
  enterprise user (selectors.person_for_user), or the office member's own enrolments. What is coming or still
  to finish first (cancel before the deadline, the assessment once attended), then the certificates with
  their validity, then the past sessions.
- /training/people/: the organisation's travellers with their pre-departure certificate (valid, expiring
  within 30 days, expired, none) and their next session, searchable, paged; /training/people/<id>/ one
  person's record. For the members of an organisation; the office's staff are sent to the back office.
- /training/enrolments/<id>/: one enrolment (session, state, attempts, certificate), cancelled from there or
  from My training (services.enrolment_cancel, which says who may and until when).
- /training/certificates/<id>/download/: the PDF (documents.certificate_response).

Another organisation's person, enrolment or certificate answers 404, never 403. A refusal of the services
comes back as a message on the page, never an error page. Lists cost the same few queries however long.
"""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from foreign_affairs import typography
from foreign_affairs.accounts.roles import Role
from foreign_affairs.accounts.selectors import person_list_for
from foreign_affairs.errors import RulesFailed, StateConflict
from foreign_affairs.page_actions import refusal_message

from .. import selectors, services
from ..documents import certificate_response
from ..forms import CancelForm, CertificateState, PeopleFilterForm
from ..models import Certificate, CertificateStatus
from ..workflow import STATE_TONES, SessionState, State, may_cancel
from .calendar import back_office, local

PAGE_SIZE = 20
# A certificate that ends within this many days is "expiring" (a trip planned now may need a new one).
EXPIRING_DAYS = 30


# What the pages show ---------------------------------------------------------------------------------------


def standing(valid_until, today, *, revoked: bool = False) -> dict:
    """How a certificate valid until `valid_until` stands today: its key, words and tone."""
    if valid_until is None:
        return {"key": CertificateState.NONE, "label": _("None"), "tone": "neutral", "note": ""}
    if revoked:
        return {"key": CertificateStatus.REVOKED, "label": _("Revoked"), "tone": "danger", "note": ""}
    if valid_until < today:
        return {
            "key": CertificateState.EXPIRED,
            "label": _("Expired"),
            "tone": "danger",
            "note": _("on %(date)s") % {"date": formats.date_format(valid_until)},
        }
    note = _("until %(date)s") % {"date": formats.date_format(valid_until)}
    if valid_until < today + timedelta(days=EXPIRING_DAYS):
        return {
            "key": CertificateState.EXPIRING,
            "label": _("Expiring within 30 days"),
            "tone": "attention",
            "note": note,
        }
    return {"key": CertificateState.VALID, "label": _("Valid"), "tone": "success", "note": note}


def certificate_of(enrolment):
    """The enrolment's certificate, or None (the reverse one-to-one raises when there is none)."""
    try:
        return enrolment.certificate
    except Certificate.DoesNotExist:
        return None


def _cancelling(enrolment, user, now) -> tuple[bool, str]:
    """Whether `user` may cancel the enrolment now from these pages, and why not when the deadline passed."""
    session = enrolment.session
    if (
        enrolment.state not in (State.WAITING, State.ENROLLED)
        or session.state != SessionState.SCHEDULED
        or now >= session.starts_at
        or not may_cancel(enrolment, user)
    ):
        return False, ""
    if (
        enrolment.state == State.ENROLLED
        and now > session.enrolment_deadline
        and not user.has_role(Role.OFFICER)
    ):
        return False, _(
            "Cancellations closed with enrolment on %(deadline)s. Ask the office to cancel, so that the place "
            "can go to someone else."
        ) % {"deadline": local(session.enrolment_deadline)}
    return True, ""


def described(enrolment, user, now, today, *, trainee: bool):
    """An enrolment with what the pages say of it. `trainee`: whether `user` is the one enrolled (who takes
    the assessment). Attempts are prefetched (selectors.learning_record)."""
    session = enrolment.session
    course = session.course
    enrolment.tone = STATE_TONES.get(enrolment.state, "neutral")
    enrolment.may_cancel, enrolment.cancel_closed = _cancelling(enrolment, user, now)
    attempts = list(enrolment.attempts.all())
    enrolment.attempt_list = attempts
    enrolment.attempts_left = max(course.max_attempts - len(attempts), 0)
    enrolment.may_assess = (
        trainee
        and enrolment.state == State.ATTENDED
        and course.has_assessment
        and enrolment.attempts_left > 0
    )
    enrolment.is_current = (
        enrolment.state in (State.WAITING, State.ENROLLED)
        and session.state == SessionState.SCHEDULED
        and now < session.ends_at
    ) or enrolment.may_assess
    enrolment.awaiting_record = (
        enrolment.state == State.ENROLLED
        and session.state == SessionState.SCHEDULED
        and now >= session.ends_at
    )
    found = certificate_of(enrolment)
    if found is not None:
        found.standing = standing(found.valid_until, today, revoked=found.revoked_at is not None)
    enrolment.certificate_found = found
    return enrolment


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _record(enrolments, user, *, trainee: bool) -> dict:
    """A learning record split for its page: coming or to finish (soonest first), certificates, the past."""
    now, today = timezone.now(), timezone.localdate()
    described_ = [described(e, user, now, today, trainee=trainee) for e in enrolments]
    current = sorted((e for e in described_ if e.is_current), key=lambda e: (e.session.starts_at, e.pk))
    certificates = [e.certificate_found for e in described_ if e.certificate_found is not None]
    certificates.sort(key=lambda c: (c.issued_on, c.pk), reverse=True)
    predeparture = [c for c in certificates if c.is_predeparture and c.revoked_at is None]
    best = max((c.valid_until for c in predeparture), default=None)
    return {
        "current": current,
        "certificates": certificates,
        "past": [e for e in described_ if not e.is_current],
        "predeparture": standing(best, today),
        "empty": not described_,
    }


# My training -----------------------------------------------------------------------------------------------


@login_required
@require_safe
def my(request):
    user = request.user
    person = None
    if user.is_office_staff:
        enrolments = list(selectors.learning_record(user=user))
    else:
        person = selectors.person_for_user(user)
        enrolments = list(selectors.learning_record(person=person)) if person is not None else []
        for enrolment in enrolments:
            enrolment.person = person  # the same row: may_cancel reads it without a query per enrolment
    return render(
        request,
        "training/my.html",
        {
            **_record(enrolments, user, trainee=True),
            "person": person,
            "member": user.is_office_staff or user.organization is not None,
            "tab": "my",
        },
    )


# The organisation's learning records -----------------------------------------------------------------------


def organization_page(back):
    """A page for the members of an organisation; the office's staff are sent to the back office
    (`back(**kwargs)` gives the address), anyone else gets 404."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if user.is_office_staff:
                return redirect(back(**kwargs))
            if user.organization is None:
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _best_predeparture(today) -> Subquery:
    """The last day of a person's best pre-departure certificate (None without one)."""
    return Subquery(
        Certificate.objects.filter(
            person=OuterRef("pk"), is_predeparture=True, revoked_at__isnull=True, issued_on__lte=today
        )
        .order_by("-valid_until")
        .values("valid_until")[:1]
    )


def _standing_filter(key: str, today) -> Q:
    soon = today + timedelta(days=EXPIRING_DAYS)
    return {
        CertificateState.VALID: Q(predeparture_until__gte=soon),
        CertificateState.EXPIRING: Q(predeparture_until__gte=today, predeparture_until__lt=soon),
        CertificateState.EXPIRED: Q(predeparture_until__lt=today),
        CertificateState.NONE: Q(predeparture_until__isnull=True),
    }[key]


@organization_page(lambda **kwargs: back_office("admin:training_certificate_changelist"))
@require_safe
def people(request):
    user = request.user
    today = timezone.localdate()
    filters = PeopleFilterForm(request.GET or None)
    chosen = filters.chosen()
    everyone = (
        person_list_for(user).select_related(None).annotate(predeparture_until=_best_predeparture(today))
    )
    counts = everyone.aggregate(
        **{key: Count("pk", filter=_standing_filter(key, today)) for key, _label in CertificateState.choices}
    )
    filters.fields["certificate"].choices = [
        (value, typography.annotate(label, counts[value]) if counts.get(value) else label)
        for value, label in filters.fields["certificate"].choices
    ]
    listed = everyone.annotate(
        completed=Count("enrolments", filter=Q(enrolments__state=State.COMPLETED), distinct=True)
    )
    if chosen["q"]:
        listed = listed.filter(Q(full_name__icontains=chosen["q"]) | Q(pinyin_name__icontains=chosen["q"]))
    if chosen["certificate"]:
        listed = listed.filter(_standing_filter(chosen["certificate"], today))
    page = Paginator(listed.order_by("full_name", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    pending = selectors.pending_enrolment([person.pk for person in page.object_list])
    for person in page.object_list:
        person.standing = standing(person.predeparture_until, today)
        person.next_enrolment = pending.get(person.pk)
        if person.next_enrolment is not None:
            person.next_enrolment.tone = STATE_TONES.get(person.next_enrolment.state, "neutral")
    return render(
        request,
        "training/people.html",
        {
            "filters": filters,
            "filtered": any(chosen.values()),
            "page": page,
            "total": sum(counts.values()),
            "counts": counts,
            "organization": user.organization,
            "tab": "people",
        },
    )


@organization_page(lambda pk, **kwargs: back_office("admin:accounts_person_change", pk))
@require_safe
def person(request, pk):
    user = request.user
    found = get_object_or_404(person_list_for(user).select_related(None), pk=pk)
    own = selectors.person_for_user(user)
    enrolments = list(selectors.learning_record(person=found))
    for enrolment in enrolments:
        enrolment.person = found
    return render(
        request,
        "training/person.html",
        {
            **_record(enrolments, user, trainee=own is not None and own.pk == found.pk),
            "person": found,
            "tab": "people",
        },
    )


# An enrolment ----------------------------------------------------------------------------------------------


@login_required
@require_safe
def enrolment(request, pk):
    user = request.user
    found = get_object_or_404(
        selectors.enrolments_for(user).select_related("enrolled_by").prefetch_related("attempts"), pk=pk
    )
    if user.is_office_staff and found.user_id != user.pk:
        return redirect(back_office("admin:training_enrolment_change", found.pk))
    now, today = timezone.now(), timezone.localdate()
    own = services.may_take_assessment(found, user)
    described(found, user, now, today, trainee=own)
    return render(
        request,
        "training/enrolment.html",
        {
            "enrolment": found,
            "session": found.session,
            "course": found.session.course,
            "certificate": found.certificate_found,
            "tab": "my" if own else "people",
        },
    )


@login_required
@require_POST
def cancel(request, pk):
    user = request.user
    found = get_object_or_404(selectors.enrolments_for(user), pk=pk)
    target = _safe_next(request) or reverse("training:enrolment", args=[found.pk])
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("reason", [])))
        return redirect(target)
    try:
        cancelled = services.enrolment_cancel(
            enrolment=found, actor=user, comment=form.cleaned_data["reason"]
        )
    except PermissionDenied as error:
        messages.error(request, refusal_message(error))
    except (StateConflict, RulesFailed) as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        messages.error(request, " ".join(str(message) for message in error.messages))
    else:
        session = found.session
        messages.success(
            request,
            _("The enrolment of %(name)s in “%(course)s” on %(date)s is cancelled.")
            % {
                "name": cancelled.trainee_name,
                "course": session.course.title,
                "date": local(session.starts_at),
            },
        )
    return redirect(target)


# The certificate -------------------------------------------------------------------------------------------


@login_required
@require_safe
def certificate(request, pk):
    user = request.user
    found = get_object_or_404(selectors.certificates_for(user), pk=pk)
    back = reverse("training:enrolment", args=[found.enrolment_id])
    if found.revoked_at is not None and not user.is_office_staff:
        messages.error(
            request,
            _("This certificate was revoked on %(date)s; it is no longer valid.")
            % {"date": formats.date_format(timezone.localdate(found.revoked_at))},
        )
        return redirect(back)
    if not found.is_rendered:
        messages.info(request, _("The certificate is still being prepared; try again in a minute."))
        return redirect(back)
    return certificate_response(found)


urlpatterns = [
    path("my/", my, name="my"),
    path("people/", people, name="people"),
    path("people/<int:pk>/", person, name="person"),
    path("enrolments/<int:pk>/", enrolment, name="enrolment"),
    path("enrolments/<int:pk>/cancel/", cancel, name="cancel"),
    path("certificates/<int:pk>/download/", certificate, name="certificate"),
]
