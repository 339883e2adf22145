"""Foreign media interview requests (外国记者采访申请): a journalist asks on a public form, the office
arranges (or declines) and records the coverage."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from foreign_affairs.notifications.models import OutboxMessage

from ..workflow import MediaWorkflow


class MediaRequest(MediaWorkflow, models.Model):
    reference = models.CharField(
        pgettext_lazy("media request", "reference"), max_length=20, unique=True, editable=False
    )
    # The journalist (no account).
    journalist_name = models.CharField(_("journalist"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    outlet = models.CharField(_("outlet"), max_length=200)
    outlet_country = CountryField(_("country or region of the outlet"))
    press_card = models.CharField(
        _("press card"),
        max_length=100,
        help_text=_("The number and the issuing authority of the press card."),
    )
    topic = models.TextField(_("topic"), max_length=4000)
    people_wished = models.TextField(_("people you wish to interview"), max_length=2000, blank=True)
    sites_wished = models.TextField(_("sites you wish to visit"), max_length=2000, blank=True)
    wished_from = models.DateField(pgettext_lazy("interview dates", "from"))
    wished_until = models.DateField(pgettext_lazy("interview dates", "until"))
    language = models.CharField(_("language"), max_length=8, default="en", editable=False)
    # The office's arrangements.
    arranged_interviewees = models.TextField(_("interviewees arranged"), max_length=2000, blank=True)
    arranged_sites = models.TextField(_("sites arranged"), max_length=2000, blank=True)
    arranged_on = models.DateField(_("interview date"), null=True, blank=True)
    escort = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchange_media_escorted",
        verbose_name=_("escort"),
    )
    activity = models.ForeignKey(
        "exchanges.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="media_requests",
        verbose_name=_("activity"),
    )
    office_note = models.TextField(_("office note"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    state_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("interview request")
        verbose_name_plural = _("interview requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="media_request_state_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wished_until__gte=models.F("wished_from")), name="media_request_dates"
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.outlet}"

    def get_absolute_url(self):
        return reverse("admin:exchanges_mediarequest_change", args=[self.pk])


class MediaMessage(OutboxMessage):
    """An e-mail to the journalist (who has no account): received, arranged, declined."""

    request = models.ForeignKey(
        MediaRequest, on_delete=models.CASCADE, related_name="messages", verbose_name=_("interview request")
    )

    class Meta(OutboxMessage.Meta):
        verbose_name = _("e-mail to a journalist")
        verbose_name_plural = _("e-mails to journalists")
