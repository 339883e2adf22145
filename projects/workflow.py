"""The state machines of area 3's cooperation projects (django-fsm-2) and their fixed vocabularies.

A project has two states, each its own machine:

Pipeline (the office's follow-up of the deal; only office staff see it):

    lead ─contact─▶ contacted ─negotiate─▶ negotiating ─sign─▶ signed ─implement─▶ implementing ─complete─▶ completed
    drop (any open stage) ─▶ dropped ─revive─▶ lead

Publication (what the public sees; only what an officer published is public):

    draft ─submit_for_review─▶ in_review ─publish─▶ published ─archive─▶ archived ─republish─▶ published
    in_review ─return_to_draft─▶ draft;  an officer may also publish a draft directly.

Achievements (发展成果) are published the same way. An expression of interest (合作意向) is
received ─forward─▶ forwarded (to the enterprises involved) or ─close─▶ closed.

Transitions only change fields; the services run them (foreign_affairs.fsm.check_transition: role, state,
conditions, comment), lock the row, save, audit and notify.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from foreign_affairs.fsm import TransitionInfo, is_officer


def is_involved(project, user) -> bool:
    """A member (any enterprise role) of an enterprise involved in the project."""
    organization = getattr(user, "organization", None) if user.is_authenticated else None
    if organization is None or not hasattr(project, "enterprises"):
        return False
    ids = getattr(project, "_enterprise_ids", None)
    if ids is None:
        ids = set(project.enterprises.values_list("pk", flat=True)) if project.pk else set()
        project._enterprise_ids = ids
    return organization.pk in ids


def is_involved_or_officer(project, user) -> bool:
    return is_officer(project, user) or is_involved(project, user)


class Channel(models.TextChoices):
    FOREIGN_AFFAIRS = "foreign_affairs", _("Foreign affairs")
    OVERSEAS_CHINESE = "overseas_chinese", _("Overseas Chinese affairs")
    HONG_KONG_MACAO = "hong_kong_macao", _("Hong Kong and Macao")
    FRIENDSHIP_CITY = "friendship_city", _("Friendship cities")


class Mode(models.TextChoices):
    INVESTMENT = "investment", pgettext_lazy("cooperation mode", "Investment")
    TRADE = "trade", pgettext_lazy("cooperation mode", "Trade")
    TECHNOLOGY = "technology", pgettext_lazy("cooperation mode", "Technology")
    JOINT_VENTURE = "joint_venture", pgettext_lazy("cooperation mode", "Joint venture")
    TALENT = "talent", pgettext_lazy("cooperation mode", "Talent")
    OTHER = "other", pgettext_lazy("cooperation mode", "Other")


class Stage(models.TextChoices):
    LEAD = "lead", pgettext_lazy("project stage", "Lead")
    CONTACTED = "contacted", pgettext_lazy("project stage", "Contacted")
    NEGOTIATING = "negotiating", pgettext_lazy("project stage", "Negotiating")
    SIGNED = "signed", pgettext_lazy("project stage", "Signed")
    IMPLEMENTING = "implementing", pgettext_lazy("project stage", "Implementing")
    COMPLETED = "completed", pgettext_lazy("project stage", "Completed")
    DROPPED = "dropped", pgettext_lazy("project stage", "Dropped")


OPEN_STAGES = (Stage.LEAD, Stage.CONTACTED, Stage.NEGOTIATING, Stage.SIGNED, Stage.IMPLEMENTING)
# Stages a project reached once it was signed (the conversion figure counts them).
SIGNED_STAGES = (Stage.SIGNED, Stage.IMPLEMENTING, Stage.COMPLETED)
STAGE_TONES = {
    Stage.LEAD: "attention",
    Stage.CONTACTED: "progress",
    Stage.NEGOTIATING: "progress",
    Stage.SIGNED: "success",
    Stage.IMPLEMENTING: "success",
    Stage.COMPLETED: "neutral",
    Stage.DROPPED: "danger",
}


class Publication(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("publication state", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("publication state", "In review")
    PUBLISHED = "published", pgettext_lazy("publication state", "Published")
    ARCHIVED = "archived", pgettext_lazy("publication state", "Archived")


PUBLICATION_TONES = {
    Publication.DRAFT: "neutral",
    Publication.IN_REVIEW: "attention",
    Publication.PUBLISHED: "success",
    Publication.ARCHIVED: "neutral",
}


class InterestState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("interest state", "Received")
    FORWARDED = "forwarded", pgettext_lazy("interest state", "Forwarded to the enterprise")
    CLOSED = "closed", pgettext_lazy("interest state", "Closed")


INTEREST_TONES = {
    InterestState.RECEIVED: "attention",
    InterestState.FORWARDED: "success",
    InterestState.CLOSED: "neutral",
}


class Source(models.TextChoices):
    OFFICE = "office", _("Entered by the office")
    ENTERPRISE = "enterprise", _("Submitted by an enterprise")
    API = "api", _("API")


def has_public_text(obj) -> bool:
    """Both languages' title and description: the catalogue is bilingual."""
    return all((obj.title_zh, obj.title_en, obj.description_zh, obj.description_en))


def has_enterprise(interest) -> bool:
    return interest.project.enterprises.exists()


STAGE_TRANSITIONS = {
    "contact": TransitionInfo(_("Contacted")),
    "negotiate": TransitionInfo(_("Negotiations started")),
    "sign": TransitionInfo(_("Signed"), style="success"),
    "implement": TransitionInfo(_("Implementation started")),
    "complete": TransitionInfo(pgettext_lazy("project", "Completed"), style="success"),
    "drop": TransitionInfo(
        pgettext_lazy("project", "Drop"), comment="required", destructive=True, style="outline-danger"
    ),
    "revive": TransitionInfo(_("Take up again"), style="secondary"),
}
PUBLICATION_TRANSITIONS = {
    "submit_for_review": TransitionInfo(_("Submit for review")),
    "publish": TransitionInfo(pgettext_lazy("publication", "Publish"), style="success"),
    "return_to_draft": TransitionInfo(_("Return to draft"), comment="required", style="warning"),
    "archive": TransitionInfo(_("Archive"), destructive=True, style="secondary"),
    "republish": TransitionInfo(_("Publish again")),
}
INTEREST_TRANSITIONS = {
    "forward": TransitionInfo(_("Forward to the enterprise"), style="success"),
    "close": TransitionInfo(
        pgettext_lazy("interest", "Close"), comment="required", destructive=True, style="secondary"
    ),
}

ACTION_LABELS = {
    "cooperation_project.create": _("entered the cooperation project"),
    "cooperation_project.update": _("changed the cooperation project"),
    "cooperation_project.assign": _("assigned the cooperation project"),
    "cooperation_project.note": _("added a note to the project"),
    "cooperation_project.attach": _("attached a document to the project"),
    "cooperation_project.detach": _("removed a document from the project"),
    "cooperation_project.contact": _("recorded the first contact"),
    "cooperation_project.negotiate": _("recorded the start of negotiations"),
    "cooperation_project.sign": _("recorded the signing"),
    "cooperation_project.implement": _("recorded the start of implementation"),
    "cooperation_project.complete": _("recorded the completion"),
    "cooperation_project.drop": _("dropped the project"),
    "cooperation_project.revive": _("took the project up again"),
    "cooperation_project.submit_for_review": _("submitted the project for publication"),
    "cooperation_project.publish": _("published the project"),
    "cooperation_project.return_to_draft": _("returned the project to draft"),
    "cooperation_project.archive": _("archived the project"),
    "cooperation_project.republish": _("published the project again"),
    "achievement.create": _("wrote a development achievement"),
    "achievement.update": _("changed the development achievement"),
    "achievement.submit_for_review": _("submitted the achievement for publication"),
    "achievement.publish": _("published the achievement"),
    "achievement.return_to_draft": _("returned the achievement to draft"),
    "achievement.archive": _("archived the achievement"),
    "achievement.republish": _("published the achievement again"),
    "project_interest.express": _("expressed interest in the project"),
    "project_interest.forward": _("forwarded the expression of interest"),
    "project_interest.close": _("closed the expression of interest"),
    "cooperation_project.export": _("exported the published projects and achievements"),
    "industry.create": _("added an industry"),
    "industry.update": _("changed an industry"),
}


class StageWorkflow(ConcurrentTransitionMixin, models.Model):
    stage = FSMField(
        pgettext_lazy("project", "stage"), default=Stage.LEAD, choices=Stage.choices, protected=True
    )

    class Meta:
        abstract = True

    @transition(field=stage, source=Stage.LEAD, target=Stage.CONTACTED, permission=is_officer)
    def contact(self):
        pass

    @transition(field=stage, source=Stage.CONTACTED, target=Stage.NEGOTIATING, permission=is_officer)
    def negotiate(self):
        pass

    @transition(field=stage, source=Stage.NEGOTIATING, target=Stage.SIGNED, permission=is_officer)
    def sign(self):
        if self.signed_on is None:
            self.signed_on = timezone.localdate()

    @transition(field=stage, source=Stage.SIGNED, target=Stage.IMPLEMENTING, permission=is_officer)
    def implement(self):
        pass

    @transition(field=stage, source=Stage.IMPLEMENTING, target=Stage.COMPLETED, permission=is_officer)
    def complete(self):
        self.next_step = ""
        self.next_step_due = None

    @transition(field=stage, source=list(OPEN_STAGES), target=Stage.DROPPED, permission=is_officer)
    def drop(self):
        self.next_step = ""
        self.next_step_due = None

    @transition(field=stage, source=Stage.DROPPED, target=Stage.LEAD, permission=is_officer)
    def revive(self):
        pass


class PublicationWorkflow(ConcurrentTransitionMixin, models.Model):
    """Draft → in review → published → archived, for projects (the enterprises involved submit their own
    for review) and achievements (the office's only)."""

    publication = FSMField(
        _("publication"), default=Publication.DRAFT, choices=Publication.choices, protected=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @transition(
        field=publication,
        source=Publication.DRAFT,
        target=Publication.IN_REVIEW,
        permission=is_involved_or_officer,
    )
    def submit_for_review(self):
        pass

    @transition(
        field=publication,
        source=[Publication.DRAFT, Publication.IN_REVIEW],
        target=Publication.PUBLISHED,
        permission=is_officer,
        conditions=[has_public_text],
    )
    def publish(self):
        self.published_at = timezone.now()

    @transition(
        field=publication, source=Publication.IN_REVIEW, target=Publication.DRAFT, permission=is_officer
    )
    def return_to_draft(self):
        pass

    @transition(
        field=publication, source=Publication.PUBLISHED, target=Publication.ARCHIVED, permission=is_officer
    )
    def archive(self):
        pass

    @transition(
        field=publication,
        source=Publication.ARCHIVED,
        target=Publication.PUBLISHED,
        permission=is_officer,
        conditions=[has_public_text],
    )
    def republish(self):
        pass


class InterestWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(
        _("state"), default=InterestState.RECEIVED, choices=InterestState.choices, protected=True
    )

    class Meta:
        abstract = True

    @transition(
        field=state,
        source=InterestState.RECEIVED,
        target=InterestState.FORWARDED,
        permission=is_officer,
        conditions=[has_enterprise],
    )
    def forward(self):
        self.forwarded_at = timezone.now()

    @transition(
        field=state, source=InterestState.RECEIVED, target=InterestState.CLOSED, permission=is_officer
    )
    def close(self):
        pass
