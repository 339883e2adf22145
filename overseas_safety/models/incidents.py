"""Incidents abroad (涉外突发事件): the report, the people affected, the timeline, the plan's checklist."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from foreign_affairs.documents.models import CaseAttachment
from foreign_affairs.security.countries import country_name

from ..workflow import TIMELINE_HEADLINES, IncidentKind, IncidentWorkflow, Level, PersonStatus, Source


class Counter(models.Model):
    """The last incident number used in a year."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Incident(IncidentWorkflow, models.Model):
    reference = models.CharField(
        pgettext_lazy("incident", "reference"), max_length=20, unique=True, editable=False
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("organisation"),
        help_text=_("The enterprise whose people or site are concerned."),
    )
    title = models.CharField(_("what happened, in one line"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=IncidentKind.choices)
    level = models.CharField(
        pgettext_lazy("incident", "level"),
        max_length=1,
        choices=Level.choices,
        help_text=_("I is the gravest: deaths or many people in danger. IV: one person, no lasting harm."),
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    occurred_at = models.DateTimeField(_("when it happened"))
    description = models.TextField(_("description"))
    trip = models.ForeignKey(
        "approvals.TravelApplication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trip concerned"),
    )
    site = models.ForeignKey(
        "overseas_safety.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("site concerned"),
    )
    reporter_name = models.CharField(_("reported by (name)"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("call-back phone"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.ENTERPRISE)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now, editable=False)
    duty_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer in charge"),
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True, editable=False)
    ack_due_at = models.DateTimeField(_("to be acknowledged by"), null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated to the leaders"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    alert_answer = models.OneToOneField(
        "overseas_safety.AlertRecipient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from the answer to an alert"),
        editable=False,
    )
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="incident_not_merged_into_itself",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "level", "reported_at"], name="incident_queue_idx"),
            models.Index(fields=["organization", "-reported_at"], name="incident_org_idx"),
            models.Index(fields=["country", "-occurred_at"], name="incident_country_idx"),
            models.Index(
                fields=["ack_due_at"],
                condition=models.Q(state="reported", escalated_at__isnull=True),
                name="incident_escalation_idx",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("overseas_safety:incident_detail", args=[self.pk])

    @property
    def country_label(self) -> str:
        """The country's name in the reader's language (CLDR, as everywhere in the portal)."""
        return country_name(self.country.code)

    @property
    def is_overdue_ack(self) -> bool:
        return self.state == "reported" and self.ack_due_at is not None and self.ack_due_at < timezone.now()


class AffectedPerson(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("person")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PersonStatus.choices, default=PersonStatus.UNKNOWN
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    organization_lookup = "incident__organization"

    class Meta:
        verbose_name = _("person affected")
        verbose_name_plural = _("people affected")
        ordering = ["incident", "person__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "person"],
                name="affected_person_once",
                violation_error_message=_("This person is already listed on the incident."),
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.get_status_display()}"

    def audit_repr(self) -> str:
        return f"Person #{self.person_id} · {self.get_status_display()}"


class TimelineEntry(models.Model):
    """One thing done about an incident: time, who, what. Append-only: saved once, never changed."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("time"), default=timezone.now, help_text=_("When it was done."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("what was done"), blank=True)
    action = models.CharField(
        _("action"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("The audit action, for transitions."),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    organization_lookup = "incident__organization"

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["incident", "at", "id"]
        indexes = [models.Index(fields=["incident", "at"], name="timeline_incident_idx")]

    def __str__(self):
        return f"{self.headline} {self.text}".strip()[:80]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("The timeline is append-only: an entry cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The timeline is append-only: an entry cannot be removed."))

    @property
    def headline(self) -> str:
        """What the portal wrote this entry for (a transition, a plan...), in the reader's language."""
        return str(TIMELINE_HEADLINES.get(self.action, ""))


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photograph")
    REPORT = "report", _("Written report")
    MEDICAL = "medical", _("Medical or police document")
    OTHER = "other", _("Other")


class IncidentAttachment(CaseAttachment):
    # `application` is the case's field name in every area (documents.attachments writes it).
    application = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("incident")
    )
    entry = models.ForeignKey(
        TimelineEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("timeline entry"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)


class ChecklistStep(models.Model):
    """A step of an emergency plan, copied onto the incident when the plan was attached."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="checklist")
    plan = models.ForeignKey(
        "overseas_safety.EmergencyPlan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("step"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=100, blank=True)
    contacts = models.CharField(_("contacts"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    organization_lookup = "incident__organization"

    class Meta:
        verbose_name = _("checklist step")
        verbose_name_plural = _("checklist")
        ordering = ["incident", "plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "plan", "position"], name="checklist_step_once")
        ]

    def __str__(self):
        return self.text
