"""Certificates of completion (结业证书): numbered, valid for the course's months, verified at /verify/<code>/,
rendered once as a bilingual PDF by a Celery task (services.certificates), revocable by the office."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.documents.models import private_storage
from foreign_affairs.documents.verification import new_verification_code

from .courses import Course
from .sessions import Enrolment


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class Certificate(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("enrolment")
    )
    number = models.CharField(_("certificate number"), max_length=20, unique=True, editable=False)
    verification_code = models.CharField(
        _("verification code"), max_length=9, unique=True, default=new_verification_code, editable=False
    )
    # Copied from the enrolment, so that lists, the rule and the figures need no joins.
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("course")
    )
    person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_certificates",
        verbose_name=_("holder"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_certificates",
        verbose_name=_("organisation"),
    )
    holder_name = models.CharField(_("holder"), max_length=100)
    is_predeparture = models.BooleanField(_("pre-departure training"), default=False)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    file = models.FileField(_("file"), storage=private_storage, blank=True, max_length=200, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True, editable=False)
    render_error = models.TextField(_("rendering error"), blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-pk"]
        indexes = [
            models.Index(fields=["person", "is_predeparture", "valid_until"], name="training_cert_rule_idx"),
            models.Index(fields=["organization", "issued_on"], name="training_cert_org_idx"),
            models.Index(fields=["valid_until"], name="training_cert_expiry_idx"),
            models.Index(fields=["-issued_on", "-id"], name="training_cert_recent_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.holder_name}"

    def get_absolute_url(self):
        return reverse("verify", args=[self.verification_code])

    def audit_repr(self) -> str:
        return self.number

    @property
    def verify_url(self) -> str:
        return f"{settings.PORTAL_BASE_URL}{self.get_absolute_url()}"

    def status(self, on=None) -> str:
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if (on or timezone.localdate()) > self.valid_until:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    def get_status_display(self) -> str:
        return CertificateStatus(self.status()).label

    @property
    def is_rendered(self) -> bool:
        return bool(self.file)
