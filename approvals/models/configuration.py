"""What the office configures: the rules, the service levels; and the reference counter."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography

from ..workflow import State


class Severity(models.TextChoices):
    ERROR = "error", _("Error (blocks)")
    WARNING = "warning", _("Warning")


class RuleSetting(models.Model):
    """How the office configures one rule of rules.RULES: on or off, its severity and its parameters."""

    code = models.CharField(_("rule"), max_length=40, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.ERROR)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["code"]

    def __str__(self):
        return self.code


class ServiceLevel(models.Model):
    """Deadline of a waiting state in working days, and when the leader is told it is overdue."""

    state = models.CharField(_("waiting state"), max_length=20, choices=State.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("deadline in working days"))
    escalate_after = models.PositiveSmallIntegerField(
        _("remind the leader after (working days past the deadline)"), default=2
    )

    class Meta:
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        ordering = ["state"]

    def __str__(self):
        return f"{typography.label(self.get_state_display())}{self.working_days}"


class ReferenceCounter(models.Model):
    """The last reference number used in a year (HNFA-<year>-<6 digits>)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
