"""Overseas-Chinese contacts (侨领): community leaders the office keeps in touch with. Personal data:
office staff only, every look at a contact's details logged (ContactAccess), exported for one person
on request and erased on request. Audit events and the access log name a contact by reference, never by
name, so that an erasure leaves nothing personal behind."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField


class ConsentBasis(models.TextChoices):
    """How the person gave their consent to be registered and contacted."""

    WRITING = "writing", _("in writing (a signed form or letter)")
    EMAIL = "email", _("by e-mail")
    MESSAGE = "message", _("by a message kept (WeChat or similar)")
    ORAL = "oral", _("orally, noted by the officer who heard it")


def consent_recorded_q() -> models.Q:
    """The contacts whose consent is recorded (OverseasContact.consent_recorded), for the list's filter."""
    return models.Q(consent=True, consent_on__isnull=False) & ~models.Q(consent_basis="")


class OverseasContact(models.Model):
    reference = models.CharField(
        pgettext_lazy("overseas contact", "reference"), max_length=20, unique=True, editable=False
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_latin = models.CharField(_("name (Latin letters)"), max_length=100, blank=True)
    country = CountryField(_("country of residence"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    association = models.CharField(_("association"), max_length=200)
    role = models.CharField(_("role in the association"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=60, blank=True)
    consent = models.BooleanField(_("agreed to be contacted"), default=False)
    consent_on = models.DateField(_("agreed on"), null=True, blank=True)
    consent_basis = models.CharField(
        _("how consent was given"), max_length=16, choices=ConsentBasis.choices, blank=True
    )
    consent_note = models.CharField(
        _("record of the consent"),
        max_length=300,
        blank=True,
        help_text=_("Where the evidence is kept, or who heard the consent and when."),
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    activities = models.ManyToManyField(
        "exchanges.Activity",
        related_name="overseas_contacts",
        verbose_name=_("exchanges taken part in"),
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("overseas-Chinese contact")
        verbose_name_plural = _("overseas-Chinese contacts")
        ordering = ["country", "name_latin", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent=False) | models.Q(consent_on__isnull=False),
                name="overseas_contact_consent_dated",
            )
        ]

    def __str__(self):
        # The reference only: audit events keep str(obj), and an erasure must leave no name behind.
        return self.reference

    @property
    def consent_recorded(self) -> bool:
        """The person's consent with its date and how it was given: required to register or change a
        contact; contacts registered before it was asked may lack it ("consent not recorded")."""
        return bool(self.consent and self.consent_on and self.consent_basis)

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.name_zh, self.name_latin) if p)


class AccessDoor(models.TextChoices):
    PAGE = "page", _("Back-office page")
    API = "api", _("API")
    EXPORT = "export", _("Data export")


class ContactAccess(models.Model):
    """One look at a contact's details: who, when, through which door. The contact is named by reference
    and stays named after an erasure (the foreign key is then empty)."""

    contact = models.ForeignKey(
        OverseasContact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("contact"),
    )
    reference = models.CharField(_("contact's reference"), max_length=20, db_index=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("viewed by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    door = models.CharField(_("through"), max_length=8, choices=AccessDoor.choices)

    class Meta:
        verbose_name = _("look at a contact's details")
        verbose_name_plural = _("access log of overseas-Chinese contacts")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["viewer", "at"], name="contact_access_viewer_idx")]

    def __str__(self):
        return f"{self.reference} {self.viewer_id} {self.at:%Y-%m-%d %H:%M}"
