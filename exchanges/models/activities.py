"""Activities (外事活动): every exchange the office runs or takes part in, its agenda, how the free trade
zone was presented, the reception plan of an incoming visit, and the outcomes."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.documents.models import CaseAttachment

from .. import codes
from ..workflow import ActivityWorkflow, Direction, Focus, Kind, ProtocolRank
from .common import in_language


class Activity(ActivityWorkflow, models.Model):
    reference = models.CharField(
        pgettext_lazy("exchange activity", "reference"), max_length=20, unique=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    direction = models.CharField(
        _("direction"), max_length=12, choices=Direction.choices, default=Direction.INCOMING
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), max_length=4000, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=4000, blank=True)
    # ",zhengzhou,luoyang," (codes.py): the free trade zone areas the activity concerns.
    ftz_areas = models.CharField(_("free trade zone areas"), max_length=64, blank=True, default="")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("Where it takes place."))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    # The foreign party.
    country = CountryField(_("country or region of the foreign party"), blank=True)
    foreign_organisation = models.CharField(_("foreign organisation"), max_length=200, blank=True)
    head_name = models.CharField(_("head of delegation"), max_length=200, blank=True)
    head_title = models.CharField(_("title of the head of delegation"), max_length=200, blank=True)
    head_rank = models.CharField(_("protocol rank"), max_length=16, choices=ProtocolRank.choices, blank=True)
    members = models.TextField(
        _("members of the delegation"), max_length=4000, blank=True, help_text=_("One per line: name, title.")
    )
    delegation_size = models.PositiveSmallIntegerField(_("size of the delegation"), null=True, blank=True)
    hosts = models.TextField(
        _("hosts"),
        max_length=2000,
        blank=True,
        help_text=_("The Chinese side: leaders and units, one per line."),
    )
    # How the free trade zone was presented.
    zone_presented = models.BooleanField(_("free trade zone briefing given"), default=False)
    briefing_by = models.CharField(_("briefing given by"), max_length=200, blank=True)
    materials = models.TextField(_("materials handed over"), max_length=2000, blank=True)
    enterprises_visited = models.ManyToManyField(
        "accounts.Organization",
        related_name="exchange_visits",
        verbose_name=_("enterprises visited"),
        blank=True,
    )
    # ",plans,platforms," (codes.py).
    focus = models.CharField(_("focus"), max_length=80, blank=True, default="")
    # Outcomes.
    outcome_summary_zh = models.TextField(_("outcomes (Chinese)"), max_length=8000, blank=True)
    outcome_summary_en = models.TextField(_("outcomes (English)"), max_length=8000, blank=True)
    # Links to the other areas.
    friendship_city = models.ForeignKey(
        "exchanges.FriendshipCity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("friendship city"),
    )
    travel_applications = models.ManyToManyField(
        "approvals.TravelApplication",
        related_name="exchange_activities",
        verbose_name=_("travel applications of the delegation"),
        blank=True,
    )
    public = models.BooleanField(
        _("shown on the public calendar"),
        default=False,
        help_text=_("Its title, summary, dates, city and foreign party are public once it is confirmed."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_activities_owned",
        verbose_name=_("officer in charge"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("proposed on"), default=timezone.now, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True, editable=False)
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # The enterprises an activity visits see it (from approval on); nobody else outside the office.
    organization_lookup = "enterprises_visited"

    class Meta:
        verbose_name = _("exchange activity")
        verbose_name_plural = _("exchange activities")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["state", "starts_on"], name="activity_state_idx"),
            models.Index(fields=["starts_on"], name="activity_starts_idx"),
            models.Index(fields=["public", "starts_on"], name="activity_public_idx"),
            # The queue opens on the planned activities by first day: without it the query walks past every
            # activity held (bench/bench_exchanges.py: 205 ms → 20 ms at 100 000 activities).
            models.Index(
                fields=["starts_on", "id"],
                condition=models.Q(state__in=["proposed", "approved", "confirmed", "postponed"]),
                name="activity_planned_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="activity_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("admin:exchanges_activity_change", args=[self.pk])

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_zh, self.summary_en)

    @property
    def outcome_summary(self) -> str:
        return in_language(self.outcome_summary_zh, self.outcome_summary_en)

    @property
    def area_codes(self) -> list[str]:
        return codes.split(self.ftz_areas)

    @property
    def area_labels(self) -> list[str]:
        labels = dict(FTZArea.choices)
        return [str(labels.get(c, c)) for c in self.area_codes]

    @property
    def focus_codes(self) -> list[str]:
        return codes.split(self.focus)

    @property
    def focus_labels(self) -> list[str]:
        labels = dict(Focus.choices)
        return [str(labels.get(c, c)) for c in self.focus_codes]

    @property
    def organization(self):
        """Documents of an activity are the office's own."""
        return None

    @property
    def is_incoming(self) -> bool:
        return self.direction == Direction.INCOMING


class AgendaItem(models.Model):
    """One timed item of the programme."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("activity")
    )
    day = models.DateField(_("day"))
    starts_at = models.TimeField(pgettext_lazy("agenda", "from"))
    ends_at = models.TimeField(pgettext_lazy("agenda", "until"), null=True, blank=True)
    title_zh = models.CharField(_("item (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("item (English)"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    people = models.CharField(_("who takes part"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["activity", "day", "starts_at", "pk"]

    def __str__(self):
        return f"{self.day} {self.starts_at:%H:%M} {self.title}"

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)


class ChecklistKind(models.TextChoices):
    """The protocol checklist of a visit's reception plan (接待方案)."""

    INVITATION = "invitation", _("Invitation letter for visas")
    ARRIVAL = "arrival", _("Arrival and departure")
    ACCOMMODATION = "accommodation", _("Accommodation")
    INTERPRETERS = "interpreters", _("Interpreters")
    GIFTS = "gifts", _("Gifts")
    SECURITY = "security", _("Security liaison")
    PRESS = "press", _("Press")
    OTHER = "other", pgettext_lazy("checklist item", "Other")


class ChecklistItem(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("activity")
    )
    kind = models.CharField(_("item"), max_length=16, choices=ChecklistKind.choices)
    label = models.CharField(_("what"), max_length=200, blank=True, help_text=_("For an item of your own."))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_checklist_items",
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    done_at = models.DateTimeField(pgettext_lazy("checklist item", "done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticked by"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("reception checklist item")
        verbose_name_plural = _("reception checklist")
        ordering = ["activity", "order", "pk"]

    def __str__(self):
        return self.label or str(self.get_kind_display())

    @property
    def done(self) -> bool:
        return self.done_at is not None


class AgreementKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    OTHER = "other", pgettext_lazy("agreement kind", "Other")


class ActivityDocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement or memorandum")
    INVITATION = "invitation", _("Invitation letter")
    PHOTO = "photo", _("Photograph")
    PRESENTATION = "presentation", _("Presentation material")
    OTHER = "other", pgettext_lazy("activity document", "Other")


class ActivityDocument(CaseAttachment):
    application = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("activity")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityDocumentKind.choices)

    organization_lookup = "application__enterprises_visited"

    class Meta(CaseAttachment.Meta):
        verbose_name = _("activity document")
        verbose_name_plural = _("activity documents")


class Agreement(models.Model):
    """An agreement or memorandum signed during the activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("activity")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AgreementKind.choices, default=AgreementKind.AGREEMENT
    )
    title = models.CharField(_("title"), max_length=300)
    parties = models.CharField(_("parties"), max_length=500, blank=True)
    signed_on = models.DateField(_("signed on"))
    document = models.ForeignKey(
        ActivityDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("document"),
    )

    class Meta:
        verbose_name = _("agreement signed")
        verbose_name_plural = _("agreements signed")
        ordering = ["activity", "signed_on", "pk"]

    def __str__(self):
        return self.title


class FollowUp(models.Model):
    """A task that came out of the activity, with an owner and a due date."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("activity")
    )
    task = models.CharField(_("task"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exchange_follow_ups",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(pgettext_lazy("checklist item", "done"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["activity", "due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="follow_up_open_idx")]

    def __str__(self):
        return self.task

    @property
    def overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class Coverage(models.Model):
    """A report in the press or online about an activity or an interview."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coverage",
        verbose_name=_("activity"),
    )
    media_request = models.ForeignKey(
        "exchanges.MediaRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coverage",
        verbose_name=_("interview request"),
    )
    url = models.URLField(_("link"), max_length=500)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    title = models.CharField(_("headline"), max_length=300, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage")
        ordering = ["published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(activity__isnull=False, media_request__isnull=True)
                | models.Q(activity__isnull=True, media_request__isnull=False),
                name="coverage_of_one_thing",
            )
        ]

    def __str__(self):
        return self.title or self.url
