"""Emergency plans (应急预案): per incident kind and level, an ordered checklist of steps."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..workflow import IncidentKind, Level


class EmergencyPlan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("for incidents of kind"),
        max_length=16,
        choices=IncidentKind.choices,
        blank=True,
        help_text=_("Leave empty for a plan that applies to every kind."),
    )
    max_level = models.CharField(
        _("from level"),
        max_length=1,
        choices=Level.choices,
        default=Level.IV,
        help_text=_("The plan applies to incidents of this level and graver ones."),
    )
    summary = models.TextField(_("summary"), blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        ordering = ["kind", "max_level", "title"]

    def __str__(self):
        return self.title


class PlanStep(models.Model):
    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("step"), max_length=300)
    responsible = models.CharField(
        _("responsible"), max_length=100, blank=True, help_text=_("The role that does it, e.g. duty officer.")
    )
    contacts = models.CharField(_("contacts"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["plan", "position", "id"]

    def __str__(self):
        return self.text
