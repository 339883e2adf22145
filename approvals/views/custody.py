"""Passport custody (证照管理) in the browser: the liaison hands a member's official passport out for a
trip (on the application's page), records its return on a page of its own that asks for the day it came
back, and sees what is out (/applications/passports/).

The services decide who may do it (the liaison or an officer) and when; the pages show the forms to the
liaison only and turn the services' refusals into messages, or into errors beside the date.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from foreign_affairs.accounts.selectors import scope_for_user
from foreign_affairs.accounts.validators import mask_passport_number

from .. import services
from ..forms import HandOutForm, ReturnForm
from ..models import PassportHandover
from ..services.custody import may_keep_passports
from .common import explain, get_application

RECENT_RETURNS = 20
# `?from=passports` on the return page: back to the list of passports handed out, not to the trip.
FROM_LIST = "passports"


def _back(application):
    return redirect(f"{application.get_absolute_url()}#custody")


def _refused(request, application, error):
    return explain(
        request,
        _("You cannot do this"),
        str(error) or _("Passports are handed out and taken back by the office or the liaison."),
        status=403,
        application=application,
    )


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages_ in error.message_dict.values() for message in messages_]
    return list(error.messages)


@login_required
@require_POST
def passport_hand_out(request, pk):
    application = get_application(request, pk, details=False)
    form = HandOutForm(request.POST, application=application, request=request)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, _("The passport was not handed out: %(reason)s") % {"reason": error})
        return _back(application)
    person = form.cleaned_data["person"]
    try:
        handover = services.passport_hand_out(
            application=application,
            person=person,
            actor=request.user,
            handed_to=form.cleaned_data["handed_to"],
            notes=form.cleaned_data["notes"],
        )
    except PermissionDenied as error:
        return _refused(request, application, error)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, _("The passport was not handed out: %(reason)s") % {"reason": message})
        return _back(application)
    messages.success(
        request,
        _("%(name)s's passport was handed out to %(to)s; it is due back by %(date)s.")
        % {
            "name": person.full_name,
            "to": handover.handed_to,
            "date": formats.date_format(handover.due_on),
        },
    )
    return _back(application)


@login_required
@require_http_methods(["GET", "POST"])
def passport_return(request, pk, handover_pk):
    """GET: what comes back (who, which passport, when it was due) and the day it came back, today unless
    changed; POST: record it. A refused day shows the page again with the error beside the date (400)."""
    application = get_application(request, pk, details=False)
    handover = get_object_or_404(
        PassportHandover.objects.select_related("person", "application", "handed_out_by"),
        pk=handover_pk,
        application=application,
    )
    if not may_keep_passports(application, request.user):
        return _refused(request, application, "")
    from_list = request.GET.get("from") == FROM_LIST
    back_url = reverse("approvals:passports") if from_list else f"{application.get_absolute_url()}#custody"
    if handover.returned_at is not None:
        messages.error(request, _("This passport has already been returned."))
        return redirect(back_url)
    form = ReturnForm(request.POST if request.method == "POST" else None, handover=handover)
    if form.is_bound and form.is_valid():
        try:
            returned = form.record(handover=handover, actor=request.user)
        except PermissionDenied as error:
            return _refused(request, application, error)
        except ValidationError as error:  # returned by someone else a moment ago
            for message in _messages_of(error):
                messages.error(request, message)
            return redirect(back_url)
        if returned is not None:
            messages.success(
                request,
                _("%(name)s's passport is back in custody: returned on %(date)s.")
                % {
                    "name": handover.person.full_name,
                    "date": formats.date_format(form.cleaned_data["returned_on"]),
                },
            )
            return redirect(back_url)
    return render(
        request,
        "approvals/passport_return.html",
        {
            "application": application,
            "handover": handover,
            # Masked: the passport in hand is checked against its holder and last digits.
            "passport": mask_passport_number(handover.passport_number),
            "form": form,
            "back_url": back_url,
            "from_list": from_list,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def passports(request):
    """The organisation's official passports now handed out (overdue first), and the latest returns."""
    user = request.user
    if user.is_office_staff or user.organization is None:
        return explain(
            request,
            _("Passport custody is an enterprise page"),
            _(
                "This page shows an enterprise's passports handed out for trips. The office keeps the "
                "whole passport custody ledger in the back office."
            ),
            status=403,
        )
    ledger = scope_for_user(
        PassportHandover.objects.select_related("person", "application", "handed_out_by", "received_by"), user
    )

    outstanding = [
        {
            "handover": handover,
            "passport": mask_passport_number(handover.passport_number),  # a list: masked
            "can_receive": may_keep_passports(handover.application, user),
        }
        for handover in ledger.filter(returned_at__isnull=True).order_by("due_on", "pk")
    ]
    returned = [
        {
            "handover": handover,
            "passport": mask_passport_number(handover.passport_number),
            "late": timezone.localtime(handover.returned_at).date() > handover.due_on,
        }
        for handover in ledger.filter(returned_at__isnull=False).order_by(F("returned_at").desc(), "-pk")[
            :RECENT_RETURNS
        ]
    ]
    return render(
        request,
        "approvals/passports.html",
        {
            "outstanding": outstanding,
            "overdue_count": sum(row["handover"].is_overdue for row in outstanding),
            "can_receive_any": any(row["can_receive"] for row in outstanding),
            "returned": returned,
            "recent_returns": RECENT_RETURNS,
        },
    )
