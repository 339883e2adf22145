"""Users, the organisations (enterprises) they belong to, and the people who travel for them."""

import re
from datetime import date
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography
from foreign_affairs.privacy.fields import BlindIndexField, EncryptedCharField, EncryptedFieldsModel

from .passports import passport_number_for
from .roles import OFFICE_ROLES, Role
from .validators import (
    mask_passport_number,
    normalize_passport_number,
    validate_passport_number,
    validate_uscc,
)


class User(AbstractUser):
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Language of the portal and of the e-mails sent to this user."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Raised when the user's roles change or they sign out everywhere: every session signed in before
    # ends (it is part of the session's signature, get_session_auth_hash).
    session_version = models.PositiveIntegerField(_("session version"), default=0, editable=False)

    # The organisation a user's data is scoped to; None for office staff and the public.
    organization_lookup = "membership__organization"

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        """What a session is signed with (Django checks it on every request): the password, as Django has
        it, plus the session version and the staff and superuser flags, so that a change of powers (or
        signing out everywhere) ends the sessions signed before it."""
        value = self.password
        if self.session_version or self.is_staff or self.is_superuser:
            value = f"{self.password}:{self.session_version}:{int(self.is_staff)}{int(self.is_superuser)}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def end_sessions(self) -> None:
        """End every session of the user (the current request's too)."""
        User.objects.filter(pk=self.pk).update(session_version=models.F("session_version") + 1)
        self.refresh_from_db(fields=["session_version"])

    def get_full_name(self) -> str:
        """Chinese names read family name first without a space (张伟); others "Given Family"."""
        first, last = self.first_name.strip(), self.last_name.strip()
        if re.search(r"[\u3400-\u9fff]", first + last):
            return f"{last}{first}"
        return f"{first} {last}".strip()

    def get_short_name(self) -> str:
        """How the back office greets the user: 张伟 rather than 伟."""
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """Names of the role groups the user holds (one query, cached on this instance)."""
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def role_labels(self) -> list[str]:
        """The user's roles as translated labels, e.g. for the dashboard's greeting; "Administrator" last
        for a superuser."""
        labels = [role.label for role in Role if role.value in self.roles]
        return [*labels, _("Administrator")] if self.is_superuser else labels

    @property
    def is_office_staff(self) -> bool:
        """Staff of the Foreign Affairs Office: they see every organisation's data."""
        return self.is_active and (self.is_superuser or bool(self.roles & OFFICE_ROLES))

    def has_role(self, role: str) -> bool:
        """Whether the user holds `role` now, in person or as someone's substitute."""
        return self.is_active and (role in self.roles or role in self.substituted_roles)

    @cached_property
    def substituted_roles(self) -> dict[str, "User"]:
        """Office roles held today as a substitute: {role: principal}. One query, cached on the instance."""
        if not self.pk or not self.is_office_staff:
            return {}
        today = timezone.localdate()
        held = {}
        for substitution in (
            Substitution.objects.filter(substitute=self, starts_on__lte=today, ends_on__gte=today)
            .select_related("principal")
            .prefetch_related("principal__groups")
        ):
            for group in substitution.principal.groups.all():
                if group.name in OFFICE_ROLES and group.name not in self.roles:
                    held.setdefault(group.name, substitution.principal)
        return held

    def acting_for(self, role: str) -> "User | None":
        """The principal whose role the user exercises as substitute, or None when it is their own."""
        if role in self.roles:
            return None
        return self.substituted_roles.get(role)

    @cached_property
    def organization(self):
        """The organisation the user belongs to, or None."""
        membership = Membership.objects.select_related("organization").filter(user=self).first()
        return membership.organization if membership else None

    @property
    def enterprise(self):
        """The user's organisation when it is an enterprise of the zone (the travel, card and safety work is
        theirs), None for everyone else, the offices of foreign organisations included."""
        organization = self.organization
        return (
            organization
            if organization is not None and organization.kind == OrganizationKind.ENTERPRISE
            else None
        )


class FTZArea(models.TextChoices):
    ZHENGZHOU = "zhengzhou", _("Zhengzhou area")
    LUOYANG = "luoyang", _("Luoyang area")
    KAIFENG = "kaifeng", _("Kaifeng area")
    OUTSIDE = "outside", _("Outside the free trade zone")


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Advanced manufacturing")
    LOGISTICS = "logistics", _("Modern logistics")
    TRADE = "trade", _("International trade")
    FINANCE = "finance", _("Finance")
    IT = "it", _("Information technology and services")
    CULTURE = "culture", _("Culture, tourism and creative industries")
    HEALTH = "health", _("Health and biomedicine")
    AGRICULTURE = "agriculture", _("Agriculture and food")
    CONSTRUCTION = "construction", _("Construction and engineering")
    OTHER = "other", _("Other")


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise of the free trade zone")
    FOREIGN = "foreign", _("Foreign organisation's office in Henan")


class Organization(models.Model):
    """An enterprise or institution of the free trade zone that applies to the office, or the office of a
    foreign organisation registered in Henan (foreign_offices); users of both are scoped the same way."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("The 18-character code on the business licence, e.g. 91410100MA44XXXXXX."),
    )
    ftz_area = models.CharField(_("free trade zone area"), max_length=16, choices=FTZArea.choices)
    kind = models.CharField(
        _("kind of organisation"),
        max_length=12,
        choices=OrganizationKind.choices,
        default=OrganizationKind.ENTERPRISE,
        editable=False,
    )
    industry = models.CharField(
        _("industry"), max_length=32, choices=Industry.choices, default=Industry.OTHER
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "pk"

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_zh"]
        indexes = [models.Index(fields=["ftz_area", "name_zh"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.uscc = (self.uscc or "").strip().upper()
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        """The name in the current language (Chinese when there is no English name)."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_zh


class Membership(models.Model):
    """A user's place in one organisation; the liaison endorses the organisation's applications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    is_liaison = models.BooleanField(
        _("foreign-affairs liaison"),
        default=False,
        help_text=_("The liaison endorses the organisation's applications before the office reviews them."),
    )
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization", "user__username"]

    def __str__(self):
        return f"{self.user} @ {self.organization}"

    def clean(self):
        user = getattr(self, "user", None)
        if user is not None and user.pk and (user.is_superuser or user.roles & OFFICE_ROLES):
            raise ValidationError(
                {"user": _("Office staff cannot be members of an enterprise.")}, code="office_member"
            )

    @property
    def roles(self) -> list[str]:
        return [Role.APPLICANT, Role.LIAISON] if self.is_liaison else [Role.APPLICANT]


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class PassportType(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary passport")
    OFFICIAL_ORDINARY = "official_ordinary", _("Official ordinary passport")
    SERVICE = "service", _("Service passport")
    DIPLOMATIC = "diplomatic", _("Diplomatic passport")


class Person(EncryptedFieldsModel):
    """A traveller of an organisation, as listed on its delegations."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="people", verbose_name=_("organisation")
    )
    full_name = models.CharField(_("name (Chinese)"), max_length=100)
    pinyin_name = models.CharField(
        _("name (pinyin)"),
        max_length=100,
        blank=True,
        help_text=_("As printed in the passport, e.g. ZHANG SAN."),
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    # Encrypted at rest; found again through passport_number_index (privacy.fields).
    passport_number = EncryptedCharField(
        _("passport number"),
        max_length=20,
        blank=True,
        validators=[validate_passport_number],
        blind_index="passport_number_index",
        normalize=normalize_passport_number,
    )
    passport_number_index = BlindIndexField(_("passport number index"))
    passport_type = models.CharField(
        _("passport type"),
        max_length=20,
        choices=PassportType.choices,
        default=PassportType.OFFICIAL_ORDINARY,
    )
    passport_expiry = models.DateField(_("passport expiry date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["organization", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "passport_number_index"],
                condition=~models.Q(passport_number_index=""),
                name="person_unique_passport_per_organization",
                violation_error_message=_(
                    "This organisation already has a person with this passport number."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(passport_expiry__isnull=True)
                | models.Q(birth_date__isnull=True)
                | models.Q(passport_expiry__gt=models.F("birth_date")),
                name="person_passport_expiry_after_birth",
                violation_error_message=_("The passport expiry date must be after the date of birth."),
            ),
        ]
        indexes = [models.Index(fields=["passport_number_index"], name="person_passport_idx")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.passport_number = normalize_passport_number(self.passport_number)
        self.pinyin_name = " ".join(self.pinyin_name.split()).upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:person_detail", args=[self.pk])

    def audit_repr(self) -> str:
        """How the audit log names a person: never by name (the log outlives an erasure)."""
        return f"Person #{self.pk}"

    def clean(self):
        self.passport_number = normalize_passport_number(self.passport_number)
        self.pinyin_name = " ".join(self.pinyin_name.split()).upper()
        errors = {}
        today = timezone.localdate()
        if self.birth_date and not (date(1900, 1, 1) <= self.birth_date <= today):
            errors["birth_date"] = _("The date of birth must be a past date.")
        if self.passport_number and not self.passport_expiry:
            errors["passport_expiry"] = _("Give the passport's expiry date as well.")
        if self.passport_expiry and not self.passport_number:
            errors["passport_number"] = _("Give the passport number as well.")
        if self.pinyin_name and not re.fullmatch(r"[A-Z\u00dc' -]+", self.pinyin_name):
            errors["pinyin_name"] = _(
                "Write the pinyin name in Latin letters as in the passport, e.g. ZHANG SAN."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def passport_status(self) -> str:
        """ "missing", "expired", "expiring" (within six months) or "valid"."""
        if not self.passport_number or not self.passport_expiry:
            return "missing"
        today = timezone.localdate()
        if self.passport_expiry < today:
            return "expired"
        if (self.passport_expiry - today).days < 183:
            return "expiring"
        return "valid"

    @property
    def masked_passport_number(self) -> str:
        return mask_passport_number(self.passport_number)

    def passport_number_for(self, user, *, listed: bool = False) -> str:
        """The passport number as `user` may see it (passports.passport_number_for: the one rule)."""
        return passport_number_for(
            user, self.passport_number, organization_id=self.organization_id, listed=listed
        )


class Substitution(models.Model):
    """An office user's stand-in for a period: the substitute may do what the principal's office roles
    allow, and every such action is audited as "on behalf of" the principal."""

    principal = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="substitutions_given", verbose_name=_("absent officer")
    )
    substitute = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="substitutions_taken", verbose_name=_("substitute")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="substitution_ends_after_start",
                violation_error_message=_("The substitution must end on or after its first day."),
            ),
            models.CheckConstraint(
                condition=~models.Q(principal=models.F("substitute")),
                name="substitution_not_self",
                violation_error_message=_("Name someone else as substitute."),
            ),
        ]
        indexes = [
            models.Index(fields=["substitute", "starts_on", "ends_on"], name="substitution_active_idx")
        ]

    def __str__(self):
        period = f"{date_format(self.starts_on, 'DATE_FORMAT')} – {date_format(self.ends_on, 'DATE_FORMAT')}"
        return typography.annotate(f"{self.substitute} ↔ {self.principal}", period)

    def clean(self):
        for field in ("principal", "substitute"):
            user = getattr(self, field, None) if getattr(self, f"{field}_id", None) else None
            if user is not None and not user.is_office_staff:
                raise ValidationError({field: _("Substitutions are between office staff.")})
