"""Safety alerts (安全提醒): a message to everyone of ours in a country (or a city) now, and the answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from foreign_affairs.security.countries import country_name


class SendState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class Answer(models.TextChoices):
    NONE = "", _("No answer yet")
    SAFE = "safe", _("Safe")
    NEED_HELP = "need_help", _("Needs help")


class RecipientSource(models.TextChoices):
    TRIP = "trip", _("On a trip")
    STATIONED = "stationed", _("Stationed at a site")


class SafetyAlert(models.Model):
    reference = models.CharField(
        pgettext_lazy("incident", "reference"), max_length=20, unique=True, editable=False
    )
    country = CountryField(_("country"))
    city = models.CharField(
        _("city"), max_length=100, blank=True, help_text=_("Leave empty for the whole country.")
    )
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"))
    state = models.CharField(_("state"), max_length=8, choices=SendState.choices, default=SendState.DRAFT)
    recipient_count = models.PositiveIntegerField(_("people"), default=0, editable=False)
    sent_count = models.PositiveIntegerField(_("messages sent"), default=0, editable=False)
    answers_expire_at = models.DateTimeField(
        _("answers accepted until"), null=True, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("safety alert")
        verbose_name_plural = _("safety alerts")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("admin:overseas_safety_safetyalert_change", args=[self.pk])

    @property
    def country_label(self) -> str:
        """The country's name in the reader's language (CLDR, as everywhere in the portal)."""
        return country_name(self.country.code)


class AlertRecipient(models.Model):
    """One person the alert concerns, found when it was sent; their one-click answer."""

    alert = models.ForeignKey(SafetyAlert, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, related_name="alerts", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    source = models.CharField(_("why"), max_length=12, choices=RecipientSource.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices, blank=True, default="")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("alert recipient")
        verbose_name_plural = _("alert recipients")
        ordering = ["alert", "organization", "person__full_name"]
        constraints = [models.UniqueConstraint(fields=["alert", "person"], name="alert_recipient_once")]
        indexes = [models.Index(fields=["alert", "answer"], name="alert_answer_idx")]

    def __str__(self):
        return f"{self.alert.reference} · {self.person}"

    def audit_repr(self) -> str:
        return f"{self.alert.reference} · Person #{self.person_id}"
