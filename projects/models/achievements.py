"""Development achievements (发展成果): short illustrated stories of what cooperation brought, linked to
projects and published the same way."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.documents.models import CaseAttachment

from ..workflow import Channel, PublicationWorkflow
from .projects import Bilingual


class Achievement(Bilingual, PublicationWorkflow, models.Model):
    reference = models.CharField(
        pgettext_lazy("achievement", "reference"), max_length=20, unique=True, editable=False
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("story (Chinese)"), max_length=8000, blank=True)
    description_en = models.TextField(_("story (English)"), max_length=8000, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    ftz_area = models.CharField(_("free trade zone area"), max_length=16, choices=FTZArea.choices)
    happened_on = models.DateField(_("date"), default=timezone.localdate)
    projects = models.ManyToManyField(
        "projects.CooperationProject",
        related_name="achievements",
        verbose_name=_("projects"),
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True, default="")

    # The office writes them; the enterprises of the projects they tell of may read them.
    organization_lookup = "projects__enterprises"

    class Meta:
        verbose_name = _("development achievement")
        verbose_name_plural = _("development achievements")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["publication", "-published_at"], name="achievement_catalogue_idx")]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("projects:achievement", args=[self.reference])

    @property
    def organization(self):
        return None


class AchievementImage(CaseAttachment):
    application = models.ForeignKey(
        Achievement, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("achievement")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=[("image", _("Image"))], default="image")

    organization_lookup = "application__projects__enterprises"

    class Meta(CaseAttachment.Meta):
        verbose_name = _("achievement image")
        verbose_name_plural = _("achievement images")
