"""Travel applications (出访申请): a delegation of one organisation, its itinerary, members and papers."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_countries.fields import CountryField

from foreign_affairs.documents.models import CaseAttachment
from foreign_affairs.security.countries import country_name

from ..workflow import Workflow


class MissionType(models.TextChoices):
    BUSINESS_NEGOTIATION = "business_negotiation", _("Business negotiation")
    EXHIBITION = "exhibition", _("Exhibition or fair")
    INVESTMENT_PROMOTION = "investment_promotion", _("Investment promotion")
    CONFERENCE = "conference", _("Conference")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    OWN_FUNDS = "own_funds", _("The organisation's own funds")
    PUBLIC_FUNDS = "public_funds", _("Public funds")
    HOST = "host", _("Paid by the host")
    SHARED = "shared", _("Shared with the host")
    OTHER = "other", _("Other")


class Currency(models.TextChoices):
    CNY = "CNY", _("Chinese yuan (CNY)")
    USD = "USD", _("US dollar (USD)")
    EUR = "EUR", _("Euro (EUR)")
    GBP = "GBP", _("Pound sterling (GBP)")
    JPY = "JPY", _("Japanese yen (JPY)")
    HKD = "HKD", _("Hong Kong dollar (HKD)")
    KRW = "KRW", _("Korean won (KRW)")
    SGD = "SGD", _("Singapore dollar (SGD)")
    AUD = "AUD", _("Australian dollar (AUD)")
    RUB = "RUB", _("Russian rouble (RUB)")


class TravelApplication(Workflow, models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="travel_applications",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("e.g. Visit to partners in Hamburg and Lyon")
    )
    purpose = models.TextField(_("purpose"), help_text=_("What the delegation will do and why it matters."))
    mission_type = models.CharField(_("kind of mission"), max_length=32, choices=MissionType.choices)
    belt_and_road = models.BooleanField(
        _("Belt and Road"),
        default=False,
        help_text=_("The trip serves a Belt and Road project (fast track)."),
    )
    budget_amount = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    funding_source = models.CharField(
        _("funding source"), max_length=16, choices=FundingSource.choices, default=FundingSource.OWN_FUNDS
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    justification = models.TextField(
        _("justification for a longer trip"),
        blank=True,
        help_text=_(
            "Needed when the trip is longer than the rules allow (超天申请); such trips need leader sign-off."
        ),
    )

    # Derived from the itinerary and members (services.refresh_summary) so lists need no joins.
    departure_date = models.DateField(_("departure"), null=True, blank=True, editable=False)
    return_date = models.DateField(_("return"), null=True, blank=True, editable=False)
    days_abroad = models.PositiveSmallIntegerField(_("days abroad"), null=True, blank=True, editable=False)
    countries = models.CharField(_("countries"), max_length=120, blank=True, editable=False)
    member_count = models.PositiveSmallIntegerField(_("members"), default=0, editable=False)
    leader_name = models.CharField(_("delegation leader"), max_length=100, blank=True, editable=False)

    # The last rule check (rules.check), kept for the queue's columns.
    rule_results = models.JSONField(_("rule check"), default=list, blank=True, editable=False)
    rule_errors = models.PositiveSmallIntegerField(_("rule errors"), default=0, editable=False)
    rule_warnings = models.PositiveSmallIntegerField(_("rule warnings"), default=0, editable=False)
    requires_signoff = models.BooleanField(_("needs leader sign-off"), default=False, editable=False)

    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned officer"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now, editable=False)
    due_on = models.DateField(_("due"), null=True, blank=True, editable=False)
    reminders_sent = models.PositiveSmallIntegerField(default=0, editable=False)

    report_summary = models.TextField(_("report summary"), blank=True)
    report_outcomes = models.TextField(_("outcomes"), blank=True)
    report_agreements = models.TextField(_("agreements signed"), blank=True)
    actual_return_date = models.DateField(_("actual return date"), null=True, blank=True)
    actual_spending = models.DecimalField(
        _("actual spending"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    report_due_on = models.DateField(_("report due"), null=True, blank=True, editable=False)
    # Objections awaiting a decision on the open public notice (kept by the services for the conditions).
    pending_objections = models.PositiveSmallIntegerField(default=0, editable=False)
    permit_error = models.TextField(_("permit problem"), blank=True, editable=False)
    report_submitted_at = models.DateTimeField(_("report submitted"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("travel application")
        verbose_name_plural = _("travel applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(return_date__isnull=True)
                | models.Q(return_date__gte=models.F("departure_date")),
                name="application_returns_after_departure",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="application_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]
        indexes = [
            # The review queue: a state, by deadline, then age (the admin adds -id): its page is read from
            # the index in order, however many applications wait.
            models.Index(fields=["state", "due_on", "created_at", "-id"], name="application_queue_order_idx"),
            # The same order over every state (the queue's "All"; PostgreSQL puts the NULLs of an ascending
            # index last, as the queue does).
            models.Index(fields=["due_on", "created_at", "-id"], name="application_all_order_idx"),
            models.Index(fields=["organization", "state", "created_at"], name="application_org_idx"),
            # An organisation's list, newest first, without sorting all of its applications.
            models.Index(fields=["organization", "-created_at", "-id"], name="application_org_newest_idx"),
            models.Index(fields=["departure_date"], name="application_departure_idx"),
            # The dashboard's "now": trips under way or back within a week, post-trip reports overdue.
            models.Index(fields=["state", "return_date"], name="application_state_return_idx"),
            models.Index(fields=["state", "report_due_on"], name="application_state_report_idx"),
            # Lists are newest first (the API, the applications page for office staff).
            models.Index(fields=["-created_at", "-id"], name="application_newest_idx"),
            # The reports count what was received and decided in a period.
            models.Index(fields=["submitted_at"], name="application_submitted_idx"),
            models.Index(fields=["decided_at"], name="application_decided_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("approvals:detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def days_waiting(self) -> int:
        return (timezone.localdate() - timezone.localtime(self.state_changed_at).date()).days


class ItineraryLeg(models.Model):
    application = models.ForeignKey(TravelApplication, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    arrive_on = models.DateField(_("arrive on"))
    leave_on = models.DateField(_("leave on"))
    host_organization = models.CharField(_("host (inviting) organisation"), max_length=200)

    organization_lookup = "application__organization"

    class Meta:
        verbose_name = _("itinerary leg")
        verbose_name_plural = _("itinerary")
        ordering = ["application", "position", "arrive_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leave_on__gte=models.F("arrive_on")),
                name="leg_leaves_after_arriving",
                violation_error_message=_("The date of leaving must be on or after the date of arrival."),
            ),
        ]
        indexes = [
            models.Index(fields=["country", "arrive_on"], name="leg_country_idx"),
            # Who is abroad on a day (overseas safety): legs not over yet are few among years of trips.
            models.Index(fields=["leave_on", "arrive_on"], name="leg_dates_idx"),
        ]

    def __str__(self):
        return pgettext("a city in a country", "%(city)s, %(country)s") % {
            "city": self.city,
            "country": country_name(self.country.code),
        }


class DelegationMember(models.Model):
    application = models.ForeignKey(TravelApplication, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, related_name="delegations", verbose_name=_("person")
    )
    position_on_trip = models.CharField(_("position on the trip"), max_length=100, blank=True)
    is_leader = models.BooleanField(_("delegation leader"), default=False)

    organization_lookup = "application__organization"

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["application", "-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person"],
                name="member_once_per_application",
                violation_error_message=_("This person is already a member of the delegation."),
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(is_leader=True),
                name="member_one_leader",
                violation_error_message=_("A delegation has one leader."),
            ),
        ]

    def __str__(self):
        return str(self.person)

    def audit_repr(self) -> str:
        return f"Delegation member #{self.pk} · Person #{self.person_id}"


class AttachmentKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation letter")
    AGENDA = "agenda", _("Agenda")
    REPORT = "report", _("Report attachment")
    OTHER = "other", _("Other")


class Attachment(CaseAttachment):
    application = models.ForeignKey(TravelApplication, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)


class SignOffQueue(TravelApplication):
    """The leaders' view of the applications: what awaits their sign-off (a second back-office list)."""

    class Meta:
        proxy = True
        verbose_name = _("application awaiting sign-off")
        verbose_name_plural = _("leader sign-off queue")
