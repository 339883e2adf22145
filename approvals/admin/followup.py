"""What the application's back-office page shows and does after approval: the permit, the public notices
with their objections, the post-trip report and the custody of official passports.

TravelApplicationAdmin mixes this in. Every button posts to a view here that calls one service
(approvals.services.permits), which checks the role, locks, audits and notifies; a refusal becomes a
message on the page, never an error page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.models import Person
from foreign_affairs.accounts.roles import Role
from foreign_affairs.admin_queue import REFUSALS, messages_of, report_refusal
from foreign_affairs.privacy import access

from .. import services
from ..forms import ReturnForm
from ..models import (
    AttachmentKind,
    DelegationMember,
    DisclosureKind,
    DisclosureOutcome,
    Objection,
    ObjectionStatus,
    PassportHandover,
    Permit,
    PermitStatus,
)
from ..passports import handover_number_shown, handover_numbers_shown
from ..permits import permit_response
from ..services.custody import OFFICIAL_PASSPORTS, may_keep_passports
from ..workflow import State
from .filters import has_permit_problem, report_days_overdue

# The permit's status as a tag, in the colours of the state tags.
PERMIT_TONES = {
    PermitStatus.VALID: "success",
    PermitStatus.REVOKED: "danger",
    PermitStatus.EXPIRED: "neutral",
}
OBJECTION_TONES = {
    ObjectionStatus.PENDING: "attention",
    ObjectionStatus.UPHELD: "danger",
    ObjectionStatus.DISMISSED: "neutral",
}
OUTCOME_TONES = {
    DisclosureOutcome.OPEN: "progress",
    DisclosureOutcome.COMPLETED: "success",
    DisclosureOutcome.WITHDRAWN: "neutral",
}
# What the officer typed as reasons, kept for the next try after a refusal.
OBJECTION_COMMENT_KEY = "approvals-admin-objection-%s"
# States in which passports are handed out for the trip (services.passport_hand_out).
HAND_OUT_STATES = (State.APPROVED, State.PERMIT_ISSUED)


def permit_status_tag(permit: Permit):
    status = permit.status()
    return format_html(
        '<span class="state-tag state-{}" data-permit-status="{}">{}</span>',
        PERMIT_TONES[status],
        status,
        PermitStatus(status).label,
    )


def objection_tag(objection: Objection):
    return format_html(
        '<span class="state-tag state-{}">{}</span>',
        OBJECTION_TONES.get(objection.status, "neutral"),
        objection.get_status_display(),
    )


def outcome_tag(disclosure):
    return format_html(
        '<span class="state-tag state-{}">{}</span>',
        OUTCOME_TONES.get(disclosure.outcome, "neutral"),
        disclosure.get_outcome_display(),
    )


def notice_public_url(disclosure) -> str:
    """The notice's public page; empty while the public pages are not wired."""
    try:
        return reverse("notices:detail", args=[disclosure.pk])
    except NoReverseMatch:
        return ""


def may_decide_objections(user) -> bool:
    return user.has_role(Role.OFFICER)


def decide_objection(request, objection: Objection) -> bool:
    """Run services.objection_decide with the posted decision ("uphold" or "dismiss") and reasons, and
    say what happened. Returns whether the decision was taken."""
    decision = request.POST.get("decision", "")
    comment = request.POST.get("comment", "")
    try:
        if decision not in ("uphold", "dismiss"):
            raise ValidationError(_("Choose whether to uphold or dismiss the objection."))
        decided = services.objection_decide(
            objection=objection, actor=request.user, uphold=decision == "uphold", comment=comment
        )
    except REFUSALS as error:
        report_refusal(request, error)
        if comment.strip():
            request.session[OBJECTION_COMMENT_KEY % objection.pk] = comment
        return False
    request.session.pop(OBJECTION_COMMENT_KEY % objection.pk, None)
    reference = decided.disclosure.application.reference
    if decision == "dismiss":
        text = gettext("The objection is dismissed; the public notice of %(reference)s continues.")
    elif decided.disclosure.kind == DisclosureKind.TRIP:
        text = gettext("The objection is upheld: %(reference)s is back in review.")
    else:
        text = gettext("The objection is upheld: the report of %(reference)s goes back to the applicant.")
    messages.success(request, text % {"reference": reference})
    return True


def uphold_label(kind: str) -> str:
    if kind == DisclosureKind.TRIP:
        return gettext("Uphold (back to review)")
    return gettext("Uphold (return the report)")


class HandOutForm(forms.Form):
    """Which member's official passport leaves custody, to whom. The service checks everything again.
    The choices name each passport whole; showing the form records the look (privacy.access; the page's
    list of members has recorded it already)."""

    person = forms.ModelChoiceField(
        label=_("Passport of"), queryset=Person.objects.none(), empty_label=_("Choose a member")
    )
    handed_to = forms.CharField(
        label=_("Handed to"),
        max_length=100,
        required=False,
        help_text=_("Who takes the passport; the holder if left empty."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def __init__(self, *args, application, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = hand_out_candidates(application)
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.full_name} · {person.get_passport_type_display()} "
            f"{access.passport_number_shown(request, person, case=application.reference)}"
        )


def hand_out_candidates(application):
    """Members with an official passport that is in custody now (not handed out for any trip)."""
    members = DelegationMember.objects.filter(application=application).values("person")
    out = PassportHandover.objects.filter(returned_at__isnull=True).values("person")
    return (
        Person.objects.filter(pk__in=members, passport_type__in=OFFICIAL_PASSPORTS)
        .exclude(passport_number="")
        .exclude(pk__in=out)
        .order_by("full_name", "pk")
    )


class AfterApprovalMixin:
    """The change page's sections after approval and the views of their buttons (for TravelApplicationAdmin,
    a QueueAdmin)."""

    def admin_views(self) -> list[tuple]:
        return [
            *super().admin_views(),
            ("<path:object_id>/permit/", self.permit_download_view, "permit"),
            ("<path:object_id>/permit/retry/", self.permit_retry_view, "permit_retry"),
            (
                "<path:object_id>/objections/<int:objection_id>/decide/",
                self.objection_decide_view,
                "objection_decide",
            ),
            ("<path:object_id>/passports/hand-out/", self.passport_hand_out_view, "passport_hand_out"),
            (
                "<path:object_id>/passports/<int:handover_id>/return/",
                self.passport_return_view,
                "passport_return",
            ),
        ]

    # The page

    def after_approval_context(self, request, application) -> dict:
        user = request.user
        permit = Permit.objects.filter(application=application).select_related("approved_by").first()
        officer = user.has_role(Role.OFFICER)
        return {
            **self._permit_context(request, application, permit, officer),
            **self._notices_context(request, application, officer),
            **self._report_context(application),
            **self._custody_context(request, application, officer),
        }

    def _permit_context(self, request, application, permit, officer) -> dict:
        problem = permit is None and has_permit_problem(application)
        return {
            "permit": permit,
            "permit_tag": permit_status_tag(permit) if permit else "",
            "permit_download_url": self._url("permit", application.pk) if permit else "",
            "show_permit": permit is not None or application.state == State.APPROVED,
            "permit_problem": problem,
            "permit_waits_for_notice": permit is None
            and application.state == State.APPROVED
            and any(d.is_open and d.kind == DisclosureKind.TRIP for d in self._disclosures(application)),
            "can_retry_permit": problem and officer,
            "permit_retry_url": self._url("permit_retry", application.pk, request=request),
        }

    def _disclosures(self, application):
        # Cached on the instance: the permit panel and the notices read the same rows.
        if not hasattr(application, "_admin_disclosures"):
            objections = Objection.objects.select_related("decided_by").order_by("submitted_at", "pk")
            application._admin_disclosures = list(
                application.disclosures.prefetch_related(
                    Prefetch("objections", queryset=objections)
                ).order_by("-published_at", "-pk")
            )
        return application._admin_disclosures

    def _notices_context(self, request, application, officer) -> dict:
        notices = []
        for disclosure in self._disclosures(application):
            objections = []
            for objection in disclosure.objections.all():
                pending = objection.status == ObjectionStatus.PENDING
                objections.append(
                    {
                        "objection": objection,
                        "pending": pending,
                        "tag": objection_tag(objection),
                        "decide_url": self._url(
                            "objection_decide", application.pk, objection.pk, request=request
                        )
                        if pending and officer
                        else "",
                        "comment": request.session.pop(OBJECTION_COMMENT_KEY % objection.pk, "")
                        if pending and officer
                        else "",
                    }
                )
            notices.append(
                {
                    "disclosure": disclosure,
                    "outcome_tag": outcome_tag(disclosure),
                    "pending_count": sum(row["pending"] for row in objections),
                    "public_url": notice_public_url(disclosure) if disclosure.is_open else "",
                    "admin_url": reverse("admin:approvals_disclosure_change", args=[disclosure.pk]),
                    "objections": objections,
                    "uphold_label": uphold_label(disclosure.kind),
                }
            )
        return {"notices": notices, "can_decide_objections": officer}

    def _report_context(self, application) -> dict:
        has_report = bool(
            application.report_submitted_at
            or application.report_summary
            or application.report_due_on
            or application.actual_return_date
        )
        documents = []
        if has_report:
            documents = [
                attachment.document
                for attachment in application.attachments.filter(kind=AttachmentKind.REPORT)
                .select_related("document")
                .order_by("created_at")
            ]
        return {
            "show_report": has_report,
            "report_overdue_days": report_days_overdue(application),
            "report_documents": documents,
        }

    def _custody_context(self, request, application, officer) -> dict:
        handovers = list(
            application.passport_handovers.select_related("person", "handed_out_by", "received_by").order_by(
                "handed_out_at", "pk"
            )
        )
        numbers = handover_numbers_shown(request, handovers, case=application.reference)
        rows = [
            {
                "handover": handover,
                "passport_number": numbers[handover.pk],
                "return_url": self._url("passport_return", application.pk, handover.pk, request=request)
                if officer and handover.returned_at is None
                else "",
            }
            for handover in handovers
        ]
        can_hand_out = officer and application.state in HAND_OUT_STATES
        form = HandOutForm(application=application, request=request) if can_hand_out else None
        return {
            "handovers": rows,
            "show_custody": bool(rows) or can_hand_out,
            "handout_form": form,
            "handout_possible": form is not None and form.fields["person"].queryset.exists(),
            "handout_url": self._url("passport_hand_out", application.pk, request=request),
        }

    # The buttons

    def permit_download_view(self, request, object_id):
        application = self._object_or_404(request, object_id)
        permit = Permit.objects.filter(application=application).first()
        if permit is None:
            raise Http404(gettext("This application has no permit."))
        return permit_response(permit)

    def permit_retry_view(self, request, object_id):
        application = self._object_or_404(request, object_id)
        if request.method == "POST":
            try:
                services.permit_retry(application=application, actor=request.user)
            except (PermissionDenied, ValidationError) as error:
                report_refusal(request, error)
            else:
                permit = Permit.objects.filter(application=application).first()
                if permit is not None:
                    messages.success(
                        request,
                        gettext("The permit %(number)s of %(reference)s is issued.")
                        % {"number": permit.number, "reference": application.reference},
                    )
                else:
                    messages.success(
                        request,
                        gettext(
                            "The permit of %(reference)s is being prepared again; this page shows it when it is ready."
                        )
                        % {"reference": application.reference},
                    )
        return self._back(request, application, "permit")

    def objection_decide_view(self, request, object_id, objection_id):
        application = self._object_or_404(request, object_id)
        if request.method == "POST":
            objection = Objection.objects.filter(pk=objection_id, disclosure__application=application).first()
            if objection is None:
                messages.error(request, _("This objection does not belong to the application."))
            else:
                decide_objection(request, objection)
        return self._back(request, application, "notices")

    def passport_hand_out_view(self, request, object_id):
        application = self._object_or_404(request, object_id)
        if request.method != "POST":
            return self._back(request, application, "custody")
        if not request.user.has_role(Role.OFFICER):
            messages.error(request, _("Only approval officers hand out passports here."))
            return self._back(request, application, "custody")
        form = HandOutForm(request.POST, application=application, request=request)
        if not form.is_valid():
            errors = [str(message) for field in form.errors.values() for message in field]
            messages.error(request, " ".join(errors))
            return self._back(request, application, "custody")
        person = form.cleaned_data["person"]
        try:
            handover = services.passport_hand_out(
                application=application,
                person=person,
                actor=request.user,
                handed_to=form.cleaned_data["handed_to"],
                notes=form.cleaned_data["notes"],
            )
        except (PermissionDenied, ValidationError) as error:
            report_refusal(request, error)
        except IntegrityError:  # handed out by someone else a moment ago
            messages.error(request, _("This passport is already handed out."))
        else:
            messages.success(
                request,
                gettext("The passport of %(person)s is handed out; it is due back by %(date)s.")
                % {"person": person.full_name, "date": date_format(handover.due_on)},
            )
        return self._back(request, application, "custody")

    def passport_return_view(self, request, object_id, handover_id):
        """GET: the passport that comes back and the day it came back (today unless changed); POST: record it
        with services.passport_return. A refused day shows the page again with the error (400)."""
        application = self._object_or_404(request, object_id)
        handover = (
            PassportHandover.objects.filter(pk=handover_id, application=application)
            .select_related("person", "handed_out_by")
            .first()
        )
        if handover is None:
            messages.error(request, _("This passport was not handed out for this trip."))
            return self._back(request, application, "custody")
        if not may_keep_passports(application, request.user):
            messages.error(
                request, gettext("Passports are handed out and taken back by the office or the liaison.")
            )
            return self._back(request, application, "custody")
        if handover.returned_at is not None:
            messages.error(
                request,
                gettext("%(person)s: %(reason)s")
                % {
                    "person": handover.person.full_name,
                    "reason": gettext("This passport has already been returned."),
                },
            )
            return self._back(request, application, "custody")
        form = ReturnForm(request.POST if request.method == "POST" else None, handover=handover)
        if form.is_bound and form.is_valid():
            try:
                returned = form.record(handover=handover, actor=request.user)
            except (PermissionDenied, ValidationError) as error:  # or returned by someone else a moment ago
                report_refusal(request, error)
                return self._back(request, application, "custody")
            if returned is not None:
                messages.success(
                    request,
                    gettext("The passport of %(person)s is back in custody: returned on %(date)s.")
                    % {
                        "person": handover.person.full_name,
                        "date": date_format(form.cleaned_data["returned_on"]),
                    },
                )
                return self._back(request, application, "custody")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Record a passport's return"),
            "opts": self.opts,
            "application": application,
            "handover": handover,
            "passport_number": handover_number_shown(request, handover, case=application.reference),
            "form": form,
            "change_url": self._url("change", application.pk, request=request),
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/approvals/travelapplication/passport_return.html",
            context,
            status=400 if form.is_bound else 200,
        )


def receive_passports(request, handovers, returned_on=None) -> int:
    """services.passport_return for each handover (back on `returned_on`, today by default); says how many
    came back and why others did not."""
    done = 0
    for handover in handovers:
        try:
            services.passport_return(handover=handover, actor=request.user, returned_on=returned_on)
        except (PermissionDenied, ValidationError) as error:
            messages.error(
                request,
                gettext("%(person)s: %(reason)s")
                % {"person": handover.person.full_name, "reason": messages_of(error)},
            )
            continue
        done += 1
    if done == 1 and len(handovers) == 1:
        messages.success(
            request,
            gettext("The passport of %(person)s is back in custody.")
            % {"person": handovers[0].person.full_name},
        )
    elif done:
        messages.success(
            request,
            ngettext(
                "%(count)d passport is back in custody.", "%(count)d passports are back in custody.", done
            )
            % {"count": done},
        )
    return done
