"""Objections to a public notice: anyone files one, an officer upholds (the trip goes back to review, the
report back to the applicant) or dismisses it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role
from foreign_affairs.audit.services import record_event

from .. import notifying
from ..models import Disclosure, DisclosureKind, Objection, ObjectionStatus, TravelApplication
from .transitions import application_transition


def objection_file(*, disclosure: Disclosure, text: str, name: str = "", contact: str = "") -> Objection:
    """Anyone files an objection to an open notice; the officers are told and must decide it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what you object to.")})
    if len(text) > 2000:
        raise ValidationError({"text": _("Keep the objection under 2000 characters.")})
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        if not disclosure.is_open:
            raise ValidationError(_("This notice is closed; objections are no longer accepted."))
        objection = Objection.objects.create(
            disclosure=disclosure, text=text, name=name.strip()[:100], contact=contact.strip()[:120]
        )
        application = TravelApplication.objects.select_for_update().get(pk=disclosure.application_id)
        application.pending_objections += 1
        application.save(update_fields=["pending_objections", "updated_at"])
        record_event(
            actor=None,
            action="travel_application.objection",
            obj=application,
            data={"objection": objection.pk, "kind": disclosure.kind},
        )
        notifying.objection_filed(application, objection)
    return objection


def objection_decide(*, objection: Objection, actor, uphold: bool, comment: str) -> Objection:
    """An officer upholds an objection (the trip goes back to review, or the report back to the
    applicant) or dismisses it (the notice continues). A reason is required either way."""
    if not actor.has_role(Role.OFFICER):
        raise PermissionDenied(_("Only approval officers decide objections."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Give the reasons of the decision.")})
    with transaction.atomic():
        objection = Objection.objects.select_for_update().select_related("disclosure").get(pk=objection.pk)
        if objection.status != ObjectionStatus.PENDING:
            raise ValidationError(_("This objection has already been decided."))
        objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
        objection.decided_by, objection.decided_at, objection.decision_comment = (
            actor,
            timezone.now(),
            comment,
        )
        objection.save()
        application = TravelApplication.objects.select_for_update().get(
            pk=objection.disclosure.application_id
        )
        application.pending_objections = max(0, application.pending_objections - 1)
        application.save(update_fields=["pending_objections", "updated_at"])
        record_event(
            actor=actor,
            action="travel_application.objection_decide",
            obj=application,
            comment=comment,
            data={"objection": objection.pk, "upheld": uphold},
        )
        if uphold:
            name = "reopen" if objection.disclosure.kind == DisclosureKind.TRIP else "return_report"
            application_transition(
                application=application,
                actor=actor,
                name=name,
                comment=_("Objection upheld: %(reasons)s") % {"reasons": comment},
            )
    return objection
