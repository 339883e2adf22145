"""What the back-office pages of activities and interview requests have of their own on top of
foreign_affairs.admin_pages: their state tags, what the timeline says of their own events, the office's
people to choose from, and the base of their read-only pages, whose transition buttons say beforehand what
their conditions still miss and are shown to whoever may press them (officers act; leaders press the
transitions their role allows; managers read). A refusal becomes a message, never an error page."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from foreign_affairs import typography
from foreign_affairs.accounts.models import User
from foreign_affairs.accounts.roles import OFFICE_ROLES, Role
from foreign_affairs.admin_pages import OfficePageAdmin, labelled, tag, unmet_conditions
from foreign_affairs.admin_queue import REFUSALS, report_refusal

from ..models import ChecklistKind
from ..workflow import MEDIA_TONES, STATE_TONES, MediaState, State


def activity_tag(value: str):
    return tag(State, STATE_TONES, value)


def media_tag(value: str):
    return tag(MediaState, MEDIA_TONES, value)


def event_detail(event, data) -> str:
    """An activity's or an interview request's own event in the timeline (foreign_affairs.admin_pages.
    timeline's `detail`): a checklist item (✓ once done), else an agreement's title, a task, a travel
    application, a coverage added or a link."""
    if data.get("item") and event.action.endswith(".checklist"):
        item = data["item"]
        label = str(ChecklistKind(item).label) if item in ChecklistKind.values else item
        return f"{label} ✓" if data.get("done") else label
    return next(
        (
            str(data[key])
            for key in ("title", "task", "application", "added", "url")
            if data.get(key) not in (None, "")
        ),
        "",
    )


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def office_officers():
    """Active users holding the Officer role in person: who may be in charge of an activity."""
    return User.objects.filter(is_active=True, groups__name=Role.OFFICER).order_by("last_name", "username")


def office_staff():
    """Active members of the office (officers, leaders, managers): whom a reception task, a follow-up or
    an escort may be given to."""
    return (
        User.objects.filter(is_active=True, groups__name__in=list(OFFICE_ROLES))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def staff_label(user) -> str:
    return typography.annotate(user.get_full_name() or user.username, user.username)


class ExchangePageAdmin(OfficePageAdmin):
    """The read-only page of an activity or an interview request: its one state machine's buttons, with a
    note of what their conditions still miss, are shown to whoever may press them (the service decides);
    its forms are in groups (admin/exchanges/activity/form_page.html)."""

    form_page_template = "admin/exchanges/activity/form_page.html"

    def transition_group(self, request, obj, names, *, condition_errors: dict) -> dict:
        """The buttons on the page (admin/exchanges/activity/includes/transitions.html), with a note of what
        a button's condition still misses."""
        return {
            **super().transition_group(request, obj, names),
            "notes": unmet_conditions(obj, names, condition_errors),
        }

    def run_transition_service(self, request, obj, name: str, comment: str):
        raise NotImplementedError

    def transition_view(self, request, object_id):
        """A transition's button: whoever may read the page may press; the service decides."""
        obj = self._object_or_404(request, object_id)
        if request.method != "POST":
            return self._back(request, obj)
        name = request.POST.get("transition", "")
        comment = request.POST.get("comment", "")
        try:
            changed = self.run_transition_service(request, obj, name, comment)
        except REFUSALS as error:
            report_refusal(
                request, labelled(error, self.model) if isinstance(error, ValidationError) else error
            )
            self.keep_comment(request, obj, comment)
            return self._back(request, obj, "actions")
        messages.success(request, self.transition_done(changed, name))
        return self.back_or_list(request, changed)
