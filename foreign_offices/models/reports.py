"""Annual reports (年度报告): the window the office sets for a year, the reports, the reminders sent."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..workflow import ReportWorkflow


class ReportingWindow(models.Model):
    """When the annual reports on `year` are filed: from `opens_on` to `due_on` (both included)."""

    year = models.PositiveSmallIntegerField(
        _("year reported on"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    opens_on = models.DateField(_("filing opens on"))
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("annual report window")
        verbose_name_plural = _("annual report windows")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    def clean(self):
        errors = {}
        if self.opens_on and self.year and self.opens_on < date(self.year, 1, 1):
            errors["opens_on"] = _("Filing cannot open before the year reported on begins.")
        if self.opens_on and self.due_on and self.due_on < self.opens_on:
            errors["due_on"] = _("The due date must be on or after the day filing opens.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def default_for(cls, year: int) -> "ReportingWindow":
        """The window the settings describe (not saved): filing opens on 1 January of the next year and is
        due at the end of FOREIGN_OFFICES_REPORT_DUE_MONTH (March by default)."""
        month = settings.FOREIGN_OFFICES_REPORT_DUE_MONTH
        end = date(year + 1, month + 1, 1) if month < 12 else date(year + 2, 1, 1)
        return cls(year=year, opens_on=date(year + 1, 1, 1), due_on=date.fromordinal(end.toordinal() - 1))


class AnnualReport(ReportWorkflow, models.Model):
    organisation = models.ForeignKey(
        "foreign_offices.ForeignOrganisation",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    activities = models.TextField(_("activities of the year"), max_length=10000)
    staff_foreign = models.PositiveIntegerField(_("foreign staff"), validators=[MaxValueValidator(100000)])
    staff_local = models.PositiveIntegerField(_("local staff"), validators=[MaxValueValidator(100000)])
    address_confirmed = models.BooleanField(_("the address in the registry is current"), default=False)
    representative_confirmed = models.BooleanField(
        _("the chief representative in the registry is current"), default=False
    )
    submitted_at = models.DateTimeField(_("filed"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    due_on = models.DateField(_("due on"), editable=False)
    on_time = models.BooleanField(_("filed on time"), default=True, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    comment = models.TextField(_("office's comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "organisation__account"

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="annual_report_one_per_year",
                violation_error_message=_("This organisation has already filed its report for this year."),
            )
        ]
        indexes = [models.Index(fields=["year", "state"], name="annual_report_year_idx")]

    def __str__(self):
        return f"{self.organisation} {self.year}"

    def get_absolute_url(self):
        return reverse("foreign_offices:report_detail", args=[self.pk])

    @property
    def account_id(self):
        """The portal organisation the report belongs to (the workflow's `is_member` asks)."""
        return self.organisation.account_id


class ReportReminder(models.Model):
    """A reminder sent for an organisation's report on a year, once per stage (a job that runs twice
    sends nothing twice)."""

    organisation = models.ForeignKey(
        "foreign_offices.ForeignOrganisation", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=24)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "stage"], name="report_reminder_once")
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.year} {self.stage}"
