"""The state machines of area 4's exchanges (django-fsm-2) and their fixed vocabularies.

An activity (外事活动), every kind of exchange in one model:

    proposed ─approve (leader)─▶ approved ─confirm─▶ confirmed ─hold─▶ held ─report─▶ reported ─close─▶ closed
    postpone (proposed, approved, confirmed) ─▶ postponed ─resume─▶ proposed (approved again)
    cancel (proposed, approved, confirmed, postponed) ─▶ cancelled

"report" needs outcomes (a written summary of what came of it). A foreign journalist's interview request
(外国记者采访申请):

    requested ─arrange─▶ arranged ─hold─▶ held ─close─▶ closed;   decline (requested, arranged) ─▶ declined

Transitions only change fields; the services run them (foreign_affairs.fsm.check_transition: role, state,
conditions, comment), lock the row, save, audit and notify.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from foreign_affairs.fsm import TransitionInfo, is_leader, is_officer


def is_officer_or_leader(obj, user) -> bool:
    return is_officer(obj, user) or is_leader(obj, user)


class Kind(models.TextChoices):
    PROVINCIAL_EXCHANGE = "provincial_exchange", _("Provincial external exchange")
    DIGNITARY_VISIT = "dignitary_visit", _("Foreign dignitary visit")
    OVERSEAS_CHINESE = "overseas_chinese", _("Overseas-Chinese leaders' exchange")
    FRIENDSHIP_CITY = "friendship_city", _("Friendship-city cooperation")
    MEDIA_INTERVIEW = "media_interview", _("Foreign media interview")
    OTHER = "other", pgettext_lazy("exchange kind", "Other")


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Visit to Henan")
    OUTGOING = "outgoing", _("Delegation abroad")
    ONLINE = "online", _("Online or elsewhere")


class Focus(models.TextChoices):
    """The five points the policy asks the zone's presentation to centre on."""

    PLANS = "plans", pgettext_lazy("exchange focus", "Plans")
    PIVOTS = "pivots", pgettext_lazy("exchange focus", "Pivots")
    CONNECTIVITY = "connectivity", pgettext_lazy("exchange focus", "Connectivity")
    COORDINATION = "coordination", pgettext_lazy("exchange focus", "Coordination")
    PLATFORMS = "platforms", pgettext_lazy("exchange focus", "Platforms")


class ProtocolRank(models.TextChoices):
    HEAD_OF_STATE = "head_of_state", _("Head of state or government")
    MINISTER = "minister", _("Minister or equivalent")
    VICE_MINISTER = "vice_minister", _("Vice-minister or equivalent")
    GOVERNOR = "governor", _("Governor, mayor or head of a region")
    AMBASSADOR = "ambassador", _("Ambassador or consul general")
    DEPUTY = "deputy", _("Deputy governor, deputy mayor or equivalent")
    OTHER = "other", pgettext_lazy("protocol rank", "Other")


class State(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("activity state", "Proposed")
    APPROVED = "approved", pgettext_lazy("activity state", "Approved")
    CONFIRMED = "confirmed", pgettext_lazy("activity state", "Confirmed")
    HELD = "held", pgettext_lazy("activity state", "Held")
    REPORTED = "reported", pgettext_lazy("activity state", "Reported")
    CLOSED = "closed", pgettext_lazy("activity state", "Closed")
    POSTPONED = "postponed", pgettext_lazy("activity state", "Postponed")
    CANCELLED = "cancelled", pgettext_lazy("activity state", "Cancelled")


# Planned and not yet held: the queue's default view.
PLANNED_STATES = (State.PROPOSED, State.APPROVED, State.CONFIRMED, State.POSTPONED)
# Took place: what counts as an exchange (friendship-city health, the reports).
HELD_STATES = (State.HELD, State.REPORTED, State.CLOSED)
# What the public calendar shows (of activities marked public).
PUBLIC_STATES = (State.CONFIRMED, *HELD_STATES)
# What the enterprises an activity visits see.
ENTERPRISE_STATES = (State.APPROVED, State.CONFIRMED, *HELD_STATES)
STATE_TONES = {
    State.PROPOSED: "attention",
    State.APPROVED: "progress",
    State.CONFIRMED: "progress",
    State.HELD: "success",
    State.REPORTED: "success",
    State.CLOSED: "neutral",
    State.POSTPONED: "attention",
    State.CANCELLED: "danger",
}


class MediaState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("media request state", "Requested")
    ARRANGED = "arranged", pgettext_lazy("media request state", "Arranged")
    HELD = "held", pgettext_lazy("media request state", "Interview held")
    CLOSED = "closed", pgettext_lazy("media request state", "Closed")
    DECLINED = "declined", pgettext_lazy("media request state", "Declined")


OPEN_MEDIA_STATES = (MediaState.REQUESTED, MediaState.ARRANGED, MediaState.HELD)
MEDIA_TONES = {
    MediaState.REQUESTED: "attention",
    MediaState.ARRANGED: "progress",
    MediaState.HELD: "success",
    MediaState.CLOSED: "neutral",
    MediaState.DECLINED: "danger",
}


def has_outcomes(activity) -> bool:
    """Reported means the outcomes are written down: the summary of what came of it."""
    return bool((activity.outcome_summary_zh or activity.outcome_summary_en).strip())


def has_started(activity) -> bool:
    return activity.starts_on is not None and activity.starts_on <= timezone.localdate()


def is_in_future(activity) -> bool:
    """A postponed activity resumes with dates still to come."""
    return activity.starts_on is not None and activity.starts_on >= timezone.localdate()


def is_arranged(request) -> bool:
    """An interview is arranged once the office named whom or what the journalist sees, and an escort."""
    return bool((request.arranged_interviewees or request.arranged_sites).strip()) and request.escort_id


ACTIVITY_TRANSITIONS = {
    "approve": TransitionInfo(pgettext_lazy("activity", "Approve"), style="success"),
    "confirm": TransitionInfo(_("Confirmed with the foreign party")),
    "hold": TransitionInfo(_("Record as held"), style="success"),
    "report": TransitionInfo(_("Report the outcomes")),
    "close": TransitionInfo(pgettext_lazy("activity", "Close"), style="secondary"),
    "postpone": TransitionInfo(_("Postpone"), comment="required", style="warning"),
    "resume": TransitionInfo(_("Take up again"), style="secondary"),
    "cancel": TransitionInfo(
        pgettext_lazy("activity", "Cancel"), comment="required", destructive=True, style="outline-danger"
    ),
}
MEDIA_TRANSITIONS = {
    "arrange": TransitionInfo(_("Arranged"), style="success"),
    "hold": TransitionInfo(_("Interview held"), style="success"),
    "close": TransitionInfo(pgettext_lazy("media request", "Close"), style="secondary"),
    "decline": TransitionInfo(
        pgettext_lazy("media request", "Decline"),
        comment="required",
        destructive=True,
        style="outline-danger",
    ),
}

ACTION_LABELS = {
    "exchange_activity.create": _("proposed the activity"),
    "exchange_activity.update": _("changed the activity"),
    "exchange_activity.approve": _("approved the activity"),
    "exchange_activity.confirm": _("recorded the activity as confirmed"),
    "exchange_activity.hold": _("recorded the activity as held"),
    "exchange_activity.report": _("reported the activity's outcomes"),
    "exchange_activity.close": _("closed the activity"),
    "exchange_activity.postpone": _("postponed the activity"),
    "exchange_activity.resume": _("took the activity up again"),
    "exchange_activity.cancel": _("cancelled the activity"),
    "exchange_activity.agenda": _("changed the agenda"),
    "exchange_activity.attach": _("attached a document to the activity"),
    "exchange_activity.detach": _("removed a document from the activity"),
    "exchange_activity.agreement": _("recorded an agreement signed"),
    "exchange_activity.follow_up": _("added a follow-up task"),
    "exchange_activity.follow_up_done": _("completed a follow-up task"),
    "exchange_activity.coverage": _("recorded coverage"),
    "exchange_activity.checklist": _("changed the reception checklist"),
    "exchange_activity.link_application": _("linked a travel application"),
    "exchange_activity.unlink_application": _("unlinked a travel application"),
    "media_request.submit": _("sent an interview request"),
    "media_request.update": _("changed the interview arrangements"),
    "media_request.arrange": _("arranged the interview"),
    "media_request.hold": _("recorded the interview as held"),
    "media_request.close": _("closed the interview request"),
    "media_request.decline": _("declined the interview request"),
    "media_request.coverage": _("recorded coverage"),
    "friendship_city.create": _("registered the friendship city"),
    "friendship_city.update": _("changed the friendship city"),
    "friendship_city.agreement": _("recorded a friendship-city agreement"),
    "friendship_city.link_project": _("linked a cooperation project"),
    "friendship_city.unlink_project": _("unlinked a cooperation project"),
    "overseas_contact.create": _("registered an overseas-Chinese contact"),
    "overseas_contact.update": _("changed an overseas-Chinese contact"),
    "overseas_contact.export": _("exported an overseas-Chinese contact's data"),
    "overseas_contact.erase": _("erased an overseas-Chinese contact"),
}


class ActivityWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("state"), default=State.PROPOSED, choices=State.choices, protected=True)

    class Meta:
        abstract = True

    @transition(field=state, source=State.PROPOSED, target=State.APPROVED, permission=is_leader)
    def approve(self):
        self.approved_at = timezone.now()

    @transition(field=state, source=State.APPROVED, target=State.CONFIRMED, permission=is_officer)
    def confirm(self):
        pass

    @transition(
        field=state,
        source=State.CONFIRMED,
        target=State.HELD,
        permission=is_officer,
        conditions=[has_started],
    )
    def hold(self):
        pass

    @transition(
        field=state,
        source=State.HELD,
        target=State.REPORTED,
        permission=is_officer,
        conditions=[has_outcomes],
    )
    def report(self):
        self.reported_at = timezone.now()

    @transition(field=state, source=State.REPORTED, target=State.CLOSED, permission=is_officer_or_leader)
    def close(self):
        pass

    @transition(
        field=state,
        source=[State.PROPOSED, State.APPROVED, State.CONFIRMED],
        target=State.POSTPONED,
        permission=is_officer_or_leader,
    )
    def postpone(self):
        pass

    @transition(
        field=state,
        source=State.POSTPONED,
        target=State.PROPOSED,
        permission=is_officer,
        conditions=[is_in_future],
    )
    def resume(self):
        self.approved_at = None

    @transition(
        field=state,
        source=[State.PROPOSED, State.APPROVED, State.CONFIRMED, State.POSTPONED],
        target=State.CANCELLED,
        permission=is_officer_or_leader,
    )
    def cancel(self):
        pass


class MediaWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("state"), default=MediaState.REQUESTED, choices=MediaState.choices, protected=True)

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=MediaState.REQUESTED,
        target=MediaState.ARRANGED,
        permission=is_officer,
        conditions=[is_arranged],
    )
    def arrange(self):
        pass

    @transition(field=state, source=MediaState.ARRANGED, target=MediaState.HELD, permission=is_officer)
    def hold(self):
        pass

    @transition(field=state, source=MediaState.HELD, target=MediaState.CLOSED, permission=is_officer)
    def close(self):
        pass

    @transition(
        field=state,
        source=[MediaState.REQUESTED, MediaState.ARRANGED],
        target=MediaState.DECLINED,
        permission=is_officer,
    )
    def decline(self):
        pass
