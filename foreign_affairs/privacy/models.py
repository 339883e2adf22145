"""What the portal records about personal information: who looked at whose (access records) and how
long each kind of record is kept (retention rules)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Seen(models.TextChoices):
    PASSPORT_NUMBER = "passport_number", _("Whole passport number")
    PASSPORT_SCAN = "passport_scan", _("Passport scan")
    PHOTO = "photo", _("Photograph")
    PERSONAL_EXPORT = "personal_export", _("Export with personal data")
    PERSON_EXPORT = "person_export", _("Person's data export")


class Door(models.TextChoices):
    PAGE = "page", _("Page")
    ADMIN = "admin", _("Back office")
    API = "api", _("API")
    EXPORT = "export", _("Export")


class PersonalDataAccess(models.Model):
    """One look at sensitive personal information: who, whose, what, where and why (the case)."""

    at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # accounts with a history are deactivated, never deleted
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.SET_NULL,  # an erased person's record stays, naming no one
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("The organisation of the person looked at."),
    )
    seen = models.CharField(_("what"), max_length=32, choices=Seen.choices)
    door = models.CharField(_("where"), max_length=16, choices=Door.choices)
    case = models.CharField(_("case"), max_length=40, blank=True, help_text=_("The case it was seen for."))
    path = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-id"]
        # A person's rights (privacy.person_data), granted to roles in accounts.roles.
        permissions = [
            ("export_person_data", _("Can export a person's data")),
            ("erase_person", _("Can erase a person on request")),
        ]
        indexes = [
            models.Index(fields=["person", "at"], name="access_person_idx"),
            models.Index(fields=["organization", "at"], name="access_org_idx"),
            models.Index(fields=["user", "at"], name="access_user_idx"),
            models.Index(fields=["at"], name="access_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_seen_display()} · {self.case or self.path}"


class RetentionRule(models.Model):
    """How long a kind of record is kept after its case closed; set by the office."""

    # The name of a RetentionKind (privacy.retention.kinds(): the shared ones and the areas').
    kind = models.CharField(_("kind of record"), max_length=40, unique=True)
    months = models.PositiveSmallIntegerField(_("kept for (months)"))
    enabled = models.BooleanField(
        _("enforced"),
        default=True,
        help_text=_("Off: the nightly job lists what would go but removes nothing."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["kind"]

    def __str__(self):
        from .retention import kind_label

        return kind_label(self.kind)
