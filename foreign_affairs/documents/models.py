"""Uploaded documents, kept in private storage and served only through a permission-checked view."""

import uuid

from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from foreign_affairs import typography


class _PrivateStorage(LazyObject):
    """storages["private"], looked up again whenever the STORAGES setting changes (tests)."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def private_storage():
    return _private


def stored_name(instance, filename):
    """A random name: the uploaded name is kept only as data, never as a path."""
    now = timezone.now()
    return f"{now:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    INVITATION = "invitation", _("Invitation letter")
    AGENDA = "agenda", _("Agenda")
    PASSPORT_SCAN = "passport_scan", _("Passport scan")
    PHOTO = "photo", _("Photograph")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("organisation"),
        help_text=_("Empty for the office's own documents."),
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    # A title the uploader typed is shown as typed. A title the portal made for a case's attachment
    # ("HNFA-2026-000001 邀请函") is shown as `reference` and the name of `title_kind` in the reader's
    # language (display_title); `title` then keeps the words of the upload, for search.
    title = models.CharField(_("title"), max_length=200, blank=True)
    reference = models.CharField(
        _("case reference"),
        max_length=20,
        blank=True,
        editable=False,
        help_text=_("The reference of the application the document was uploaded for."),
    )
    title_kind = models.CharField(
        _("kind in the title"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("Set when the portal made the title: the kind of attachment it names."),
    )
    original_name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), storage=private_storage, upload_to=stored_name, max_length=200)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    organization_lookup = "organization"

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "created_at"], name="document_org_idx")]

    def __str__(self):
        return self.display_title or self.original_name

    def get_absolute_url(self):
        return reverse("documents:download", args=[self.pk])

    @property
    def display_title(self) -> str:
        """The title in the reader's language: "<reference> <kind>" for one the portal made, the typed
        one otherwise."""
        label = attachment_kind_label(self.title_kind) if self.title_kind else None
        if label is None or not self.reference:
            return self.title
        return f"{self.reference} {label}"

    @property
    def extension(self) -> str:
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
            self.content_type, ""
        )


def attachment_kind_label(title_kind: str):
    """The name (lazily translated) of "<app_label>.<model>:<kind>", an attachment kind of a
    CaseAttachment subclass; None when that model or kind no longer exists."""
    model_label, _sep, kind = title_kind.partition(":")
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return None
    return dict(model._meta.get_field("kind").flatchoices).get(kind)


class CaseAttachment(models.Model):
    """A document attached to a case of an area (an application, a report...) with a kind. A concrete
    subclass adds `application`, a ForeignKey to its case with related_name="attachments", and `kind`
    with the area's choices; documents.attachments writes them."""

    document = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s",
        verbose_name=_("document"),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    organization_lookup = "application__organization"

    class Meta:
        abstract = True
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "kind", "created_at"]

    def __str__(self):
        return f"{typography.label(self.get_kind_display())}{self.document}"

    @classmethod
    def title_kind_for(cls, kind: str) -> str:
        """What Document.title_kind keeps for an attachment of `kind` of this model."""
        return f"{cls._meta.label_lower}:{kind}"
