"""Safety alerts in the back office: compose, see how many people are there now, send (once), follow the
progress of the fan-out, the answers, and who has not answered yet with whom to call.

Officers write (the add page and the "Send" button, both through overseas_safety.services.alerts);
leaders read. The change page is read-only: an alert is not edited once written.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from foreign_affairs.admin_queue import audit_url
from foreign_affairs.errors import StateConflict
from foreign_affairs.security.countries import country_name

from ..forms.alerts import AlertComposeForm
from ..models import Answer, SafetyAlert, SendState
from ..selectors import presence_in
from ..services import alerts as services
from .incidents import CountryFilter

STATE_TONES = {SendState.DRAFT: "neutral", SendState.SENDING: "progress", SendState.SENT: "success"}
# The page lists at most this many people without an answer (the first by organisation and name).
NOT_ANSWERED_SHOWN = 500


def state_tag(state: str):
    return format_html(
        '<span class="state-tag state-{}" data-state="{}">{}</span>',
        STATE_TONES.get(state, "neutral"),
        state,
        SendState(state).label,
    )


@admin.register(SafetyAlert)
class SafetyAlertAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "where", "state_label", "progress", "answers", "created_at"]
    list_display_links = ["reference", "title"]
    list_filter = ["state", CountryFilter]
    search_fields = ["reference", "title"]
    list_select_related = ["created_by"]
    show_full_result_count = False
    view_on_site = False
    change_form_template = "overseas_safety/alerts/admin_alert.html"
    fields = ["reference"]
    readonly_fields = ["reference"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                answered_safe=Count("recipients", filter=Q(recipients__answer=Answer.SAFE)),
                answered_help=Count("recipients", filter=Q(recipients__answer=Answer.NEED_HELP)),
            )
        )

    def has_delete_permission(self, request, obj=None):
        return False

    # Columns

    @admin.display(description=_("where"), ordering="country")
    def where(self, alert):
        name = country_name(alert.country.code)
        return f"{name} · {alert.city}" if alert.city else name

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, alert):
        return state_tag(alert.state)

    @admin.display(description=_("messages sent"))
    def progress(self, alert):
        if alert.state == SendState.DRAFT:
            return self.get_empty_value_display()
        return f"{alert.sent_count} / {alert.recipient_count}"

    @admin.display(description=_("answers"))
    def answers(self, alert):
        if alert.state == SendState.DRAFT:
            return self.get_empty_value_display()
        waiting = alert.recipient_count - alert.answered_safe - alert.answered_help
        return format_html(
            '<span class="queue-badge state-success">{} {}</span> '
            '<span class="queue-badge state-danger">{} {}</span> '
            '<span class="queue-badge state-attention">{} {}</span>',
            gettext("safe"),
            alert.answered_safe,
            gettext("need help"),
            alert.answered_help,
            gettext("no answer"),
            max(waiting, 0),
        )

    # URLs

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/send/",
                self.admin_site.admin_view(self.send_view),
                name="{}_{}_send".format(*info),
            ),
            *super().get_urls(),
        ]

    # Compose (the add page)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AlertComposeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                alert = services.alert_create(actor=request.user, data=form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    gettext(
                        "The alert %(reference)s is prepared. Check how many people it reaches, then send it."
                    )
                    % {"reference": alert.reference},
                )
                return redirect("admin:overseas_safety_safetyalert_change", alert.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("New safety alert"),
            "form": form,
            "has_view_permission": True,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "overseas_safety/alerts/admin_compose.html", context)

    # The alert's page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            # The page has no form of its own: sending goes through the button and its service.
            return redirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self.page_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def page_context(self, request, alert) -> dict:
        officer = services.is_officer(request.user)
        context = {
            "alert": alert,
            "state_tag": state_tag(alert.state),
            "audit_url": audit_url(alert.reference),
            "title": f"{alert.reference} · {alert.title}",
            "is_draft": alert.state == SendState.DRAFT,
            "is_sending": alert.state == SendState.SENDING,
            "can_send": officer and alert.state == SendState.DRAFT,
            "send_url": reverse("admin:overseas_safety_safetyalert_send", args=[alert.pk]),
            "link_days": services.link_days(),
            "answers_open": alert.answers_expire_at is None or alert.answers_expire_at > timezone.now(),
        }
        if alert.state == SendState.DRAFT:
            presence = presence_in(alert.country.code, timezone.localdate(), city=alert.city)
            context["presence"] = {
                "people": presence.people,
                "travellers": len({row["person_id"] for row in presence.travellers}),
                "stationed": len({row.person_id for row in presence.stationed}),
                "organizations": len(
                    {row["organization_id"] for row in presence.travellers}
                    | {row.site.organization_id for row in presence.stationed}
                ),
            }
            return context
        counts = services.answer_counts(alert)
        incidents = services.incidents_of(alert)
        need_help = list(
            alert.recipients.filter(answer=Answer.NEED_HELP)
            .select_related("person", "organization")
            .order_by("answered_at", "pk")
        )
        for row in need_help:
            incident = incidents.get(row.pk)
            row.incident = incident
            row.incident_url = (
                reverse("admin:overseas_safety_incident_change", args=[incident.pk]) if incident else ""
            )
        waiting = services.not_answered(alert, limit=NOT_ANSWERED_SHOWN)
        percent = round(100 * alert.sent_count / alert.recipient_count) if alert.recipient_count else 100
        context.update(
            {
                "counts": counts,
                "need_help": need_help,
                "not_answered": waiting,
                "not_answered_more": max(counts["none"] - len(waiting), 0),
                "not_reached": alert.recipients.filter(notified_at__isnull=True).count()
                if alert.state == SendState.SENT
                else 0,
                "percent": percent,
            }
        )
        return context

    def send_view(self, request, object_id):
        alert = admin.ModelAdmin.get_object(self, request, unquote(object_id))
        if alert is None:
            raise Http404(gettext("There is no such safety alert."))
        if request.method == "POST":
            try:
                alert = services.alert_send(alert=alert, actor=request.user)
            except StateConflict as error:
                messages.warning(request, error.message)
            except PermissionDenied as error:
                messages.error(request, str(error) or gettext("Your role does not allow this action."))
            else:
                messages.success(
                    request,
                    gettext(
                        "The alert %(reference)s is being sent. This page shows the progress; the answers "
                        "come in as people click."
                    )
                    % {"reference": alert.reference},
                )
        return redirect("admin:overseas_safety_safetyalert_change", alert.pk)
