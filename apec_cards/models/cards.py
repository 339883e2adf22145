"""Issued cards: the holder, the term, the economies that pre-cleared, and the decision letter."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.accounts.validators import mask_passport_number, normalize_passport_number
from foreign_affairs.documents.models import private_storage
from foreign_affairs.documents.verification import new_verification_code
from foreign_affairs.privacy.fields import BlindIndexField, EncryptedCharField, EncryptedFieldsModel

from ..workflow import CardState, CardWorkflow


class Card(CardWorkflow, EncryptedFieldsModel):
    number = models.CharField(_("card number"), max_length=20, unique=True, editable=False)
    application = models.OneToOneField(
        "apec_cards.CardApplication",
        on_delete=models.PROTECT,
        related_name="card",
        verbose_name=_("application"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        related_name="apec_cards",
        verbose_name=_("organisation"),
    )
    holder = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, related_name="apec_cards", verbose_name=_("holder")
    )
    passport_number = EncryptedCharField(
        _("passport number"),
        max_length=20,
        blind_index="passport_number_index",
        normalize=normalize_passport_number,
    )
    passport_number_index = BlindIndexField(_("passport number index"))
    passport_expiry = models.DateField(_("passport expiry date"))
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    term_started_on = models.DateField(
        _("term started on"),
        help_text=_(
            "The five years run from here; a replacement or new-passport card keeps its predecessor's term."
        ),
    )
    expires_on = models.DateField(_("expires on"), db_index=True)
    economies = models.ManyToManyField(
        "apec_cards.Economy", through="CardEconomy", related_name="cards", verbose_name=_("economies")
    )
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True, editable=False)
    end_reason = models.TextField(_("reason"), blank=True)
    # Expiry reminders sent: 0 none, 1 six months before, 2 one month before.
    expiry_reminders_sent = models.PositiveSmallIntegerField(default=0, editable=False)

    verification_code = models.CharField(
        _("verification code"), max_length=9, unique=True, default=new_verification_code
    )
    letter = models.FileField(_("decision letter"), storage=private_storage, max_length=200, blank=True)
    letter_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    letter_rendered_at = models.DateTimeField(_("letter rendered"), null=True, blank=True)
    letter_error = models.TextField(_("letter problem"), blank=True, editable=False)
    # Bumped whenever the letter must be rendered again (an economy added); the task renders the latest.
    letter_version = models.PositiveSmallIntegerField(default=1, editable=False)
    letter_rendered_version = models.PositiveSmallIntegerField(default=0, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("APEC Business Travel Card")
        verbose_name_plural = _("APEC Business Travel Cards")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")), name="card_expires_after_issue"
            ),
            models.UniqueConstraint(
                fields=["holder"],
                condition=models.Q(state=CardState.ACTIVE),
                name="card_one_active_per_holder",
                violation_error_message=_("This person already holds a valid APEC card."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "state", "expires_on"], name="card_org_idx"),
            models.Index(fields=["state", "expires_on"], name="card_expiry_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("apec_cards:card_detail", args=[self.pk])

    @property
    def verify_url(self) -> str:
        return f"{settings.PORTAL_BASE_URL}{reverse('verify', args=[self.verification_code])}"

    @property
    def days_to_expiry(self) -> int:
        return (self.expires_on - timezone.localdate()).days

    @property
    def masked_passport_number(self) -> str:
        return mask_passport_number(self.passport_number)


class CardEconomy(models.Model):
    """An economy on a card: pre-cleared on `approved_on` (carried over from the card replaced, or added
    after issue when its answer came late)."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="card_economies")
    economy = models.ForeignKey("apec_cards.Economy", on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("pre-cleared on"))
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    organization_lookup = "card__organization"

    class Meta:
        verbose_name = _("economy on a card")
        verbose_name_plural = _("economies on the card")
        ordering = ["card", "economy__position"]
        constraints = [models.UniqueConstraint(fields=["card", "economy"], name="card_economy_once")]

    def __str__(self):
        return f"{self.card.number} {self.economy_id}"
