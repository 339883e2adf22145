"""Pages of safety alerts.

/safety/alerts/answer/<token>/ is public: the one-click answer of one person, from the link in their
message (or their liaison's). GET only shows the page with the answer the link carries pre-selected (mail
scanners follow links; nothing changes on GET); one POST records it. The token reaches this one
recipient's answer and nothing else: no sign-in, no session. An expired link answers 410 with whom to
call; an altered one 404.

/safety/alerts/ is the organisation's: the alerts concerning its people, their answers, and a liaison
answering for one of them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from foreign_affairs.accounts.selectors import organization_users

from ..forms.alerts import AnswerForm
from ..models import AlertRecipient, Answer, SafetyAlert, SendState
from ..services import alerts as services
from ..services.duty import duty_officer_on

PAGE_SIZE = 10
# People shown under each alert of the list (those yet to answer first); one alert's own list pages by this.
SHOWN = 20
PEOPLE_PAGE_SIZE = 50


def _no_referrer(response):
    # The token is in the address: never pass it on to another site.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


def _whom_to_call(recipient: AlertRecipient | None) -> dict:
    from django.utils import timezone

    duty = duty_officer_on(timezone.localdate())
    liaisons = list(organization_users(recipient.organization_id, liaisons_only=True)) if recipient else []
    return {"duty_officer": duty, "liaisons": liaisons}


# The token is the credential (no cookie, no session): a forged cross-site POST would need the token, so
# CSRF protection adds nothing, and a CSRF cookie may be missing in a mail app's browser.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def alert_answer(request, token):
    try:
        recipient = services.recipient_for_token(token)
    except services.LinkExpired as expired:
        context = {"recipient": expired.recipient, **_whom_to_call(expired.recipient)}
        return _no_referrer(
            render(request, "overseas_safety/alerts/answer_expired.html", context, status=410)
        )
    except services.LinkInvalid:
        raise Http404 from None
    done = False
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            recipient = services.alert_answer(recipient=recipient, answer=form.cleaned_data["answer"])
            done = True
            form = AnswerForm(initial={"answer": recipient.answer})
    else:
        intended = request.GET.get("answer") or recipient.answer
        form = AnswerForm(initial={"answer": intended if intended in services.ANSWERS else None})
    context = {
        "recipient": recipient,
        "alert": recipient.alert,
        "person": recipient.person,
        "form": form,
        "done": done,
        "answer_label": recipient.get_answer_display(),
        "need_help": recipient.answer == Answer.NEED_HELP,
        **_whom_to_call(recipient),
    }
    return _no_referrer(render(request, "overseas_safety/alerts/answer.html", context))


@login_required
def alert_list(request):
    """The alerts concerning the organisation's people (office staff go to the back office's list): each with
    its counts and the first SHOWN of the people, those yet to answer first; `?alert=<id>` lists all the
    people of one alert, a page at a time."""
    user = request.user
    if user.is_office_staff:
        return redirect("admin:overseas_safety_safetyalert_changelist")
    organization = user.organization
    if organization is None:
        alerts = SafetyAlert.objects.none()
    else:
        mine = AlertRecipient.objects.filter(organization=organization)
        alerts = (
            SafetyAlert.objects.exclude(state=SendState.DRAFT)
            .filter(recipients__organization=organization)
            .annotate(
                people=Count("recipients", filter=Q(recipients__organization=organization)),
                safe=Count(
                    "recipients",
                    filter=Q(recipients__organization=organization, recipients__answer=Answer.SAFE),
                ),
                need_help=Count(
                    "recipients",
                    filter=Q(recipients__organization=organization, recipients__answer=Answer.NEED_HELP),
                ),
            )
            .prefetch_related(
                Prefetch(
                    "recipients",
                    queryset=mine.select_related("person").order_by("answer", "person__full_name", "pk")[
                        :SHOWN
                    ],
                    to_attr="ours",
                )
            )
            .order_by("-created_at", "-pk")
        )
    one = request.GET.get("alert", "")
    people = None
    if one:
        alert = get_object_or_404(alerts, pk=one) if one.isdigit() else None
        if alert is None:
            raise Http404
        people = Paginator(
            mine.filter(alert=alert).select_related("person").order_by("answer", "person__full_name", "pk"),
            PEOPLE_PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        alert.ours = list(people.object_list)
        page = Paginator([alert], PAGE_SIZE).get_page(1)
    else:
        page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    for alert in page.object_list:
        alert.waiting = alert.people - alert.safe - alert.need_help
        alert.more = alert.people - len(alert.ours) if people is None else 0
        for row in alert.ours:
            row.can_answer = services.may_answer_for(user, row)
    return render(
        request,
        "overseas_safety/alerts/list.html",
        {
            "page": page,
            "people": people,
            "is_liaison": bool(getattr(getattr(user, "membership", None), "is_liaison", False)),
        },
    )


@login_required
@require_POST
def recipient_answer(request, pk):
    """A liaison (or the person, signed in) records an answer for one of the organisation's people."""
    user = request.user
    organization = user.organization
    if user.is_office_staff or organization is None:
        raise Http404
    recipient = get_object_or_404(
        AlertRecipient.objects.select_related("alert", "person"), pk=pk, organization=organization
    )
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["answer"]))
    else:
        try:
            recipient = services.alert_answer(
                recipient=recipient, answer=form.cleaned_data["answer"], actor=user
            )
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request,
                _("%(person)s: “%(answer)s” is recorded for the alert %(reference)s.")
                % {
                    "person": recipient.person.full_name,
                    "answer": recipient.get_answer_display(),
                    "reference": recipient.alert.reference,
                },
            )
    return redirect(f"{reverse('overseas_safety:alert_list')}#alert-{recipient.alert_id}")


urlpatterns = [
    path("alerts/", alert_list, name="alert_list"),
    path("alerts/answer/<str:token>/", alert_answer, name="alert_answer"),
    path("alerts/recipients/<int:pk>/answer/", recipient_answer, name="alert_recipient_answer"),
]
