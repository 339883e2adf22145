"""How long applications stay in each state: one row per stay, for the managers' figures (time per
waiting state, share within the service level) computed by the database."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..workflow import State


class StatePeriod(models.Model):
    application = models.ForeignKey(
        "approvals.TravelApplication", on_delete=models.CASCADE, related_name="state_periods"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    # The service-level deadline of a waiting state, as it was when the application entered it.
    due_on = models.DateField(_("due"), null=True, blank=True)

    organization_lookup = "application__organization"

    class Meta:
        verbose_name = _("time in a state")
        verbose_name_plural = _("times in states")
        ordering = ["application", "entered_at"]
        indexes = [
            models.Index(fields=["state", "left_at"], name="state_period_left_idx"),
            models.Index(fields=["state", "entered_at"], name="state_period_entered_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(left_at__isnull=True), name="state_period_one_open"
            )
        ]

    def __str__(self):
        return f"{self.application_id} {self.state} {self.entered_at:%Y-%m-%d}"
