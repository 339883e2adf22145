"""Cooperation projects (合作项目): the information the office collects from its four channels, its
follow-up of each deal, and what it publishes."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from foreign_affairs.accounts.models import FTZArea
from foreign_affairs.documents.models import CaseAttachment

from ..workflow import Channel, Mode, PublicationWorkflow, Source, StageWorkflow

# The currencies a project's size is given in (ISO 4217).
CURRENCIES = [
    ("CNY", _("Chinese yuan (CNY)")),
    ("USD", _("US dollar (USD)")),
    ("EUR", _("Euro (EUR)")),
    ("HKD", _("Hong Kong dollar (HKD)")),
    ("MOP", _("Macao pataca (MOP)")),
    ("JPY", _("Japanese yen (JPY)")),
    ("KRW", _("Korean won (KRW)")),
    ("GBP", _("Pound sterling (GBP)")),
    ("SGD", _("Singapore dollar (SGD)")),
    ("AUD", _("Australian dollar (AUD)")),
    ("RUB", _("Russian rouble (RUB)")),
]


class Counter(models.Model):
    """The last reference number used in a year, per prefix (HNCP projects, HNCA achievements)."""

    prefix = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="project_counter_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class Bilingual:
    """`title`, `description` in the reader's language, falling back to the other one."""

    @property
    def title(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.title_en or self.title_zh
        return self.title_zh or self.title_en

    @property
    def description(self) -> str:
        if (get_language() or "").startswith("en"):
            return self.description_en or self.description_zh
        return self.description_zh or self.description_en


class CooperationProject(Bilingual, StageWorkflow, PublicationWorkflow, models.Model):
    reference = models.CharField(
        pgettext_lazy("cooperation project", "reference"), max_length=20, unique=True, editable=False
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), max_length=8000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=8000, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    ftz_area = models.CharField(_("free trade zone area"), max_length=16, choices=FTZArea.choices)
    industries = models.ManyToManyField(
        "projects.Industry", related_name="projects", verbose_name=_("industries"), blank=True
    )
    mode = models.CharField(_("cooperation mode"), max_length=16, choices=Mode.choices)
    partner_country = CountryField(_("partner country"), blank=True)
    partner_city = models.CharField(_("partner city"), max_length=100, blank=True)
    partner_organisation = models.CharField(_("partner organisation"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("size (amount)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, blank=True)
    enterprises = models.ManyToManyField(
        "accounts.Organization",
        related_name="cooperation_projects",
        verbose_name=_("free trade zone enterprises involved"),
        blank=True,
    )
    # The friendship city a project came through; area 4 (exchanges/) will give it a registry to link to.
    friendship_city = models.CharField(
        _("friendship city"),
        max_length=200,
        blank=True,
        help_text=_("The friendship city the project came through, where there is one."),
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.OFFICE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperation_projects_owned",
        verbose_name=_("owner (officer)"),
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
        editable=False,
    )
    created_at = models.DateTimeField(_("entered"), default=timezone.now, editable=False)
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Titles, descriptions, partner and industries of both languages in one lower-case text: what the
    # catalogue's search looks in (a trigram index on PostgreSQL; services.projects keeps it current).
    search_text = models.TextField(editable=False, blank=True, default="")

    # The enterprises involved see the project (services check the membership on every write).
    organization_lookup = "enterprises"

    class Meta:
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["publication", "-published_at"], name="project_catalogue_idx"),
            models.Index(fields=["stage", "next_step_due"], name="project_pipeline_idx"),
            models.Index(fields=["created_at"], name="project_created_idx"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.reference])

    @property
    def organization(self):
        """The first enterprise involved (the one documents are filed under), or None."""
        enterprises = list(self.enterprises.all()[:1])
        return enterprises[0] if enterprises else None

    @property
    def is_public(self) -> bool:
        from ..workflow import Publication

        return self.publication == Publication.PUBLISHED

    @property
    def next_step_overdue(self) -> bool:
        return self.next_step_due is not None and self.next_step_due < timezone.localdate()


class ProjectNote(models.Model):
    """The officer's notes on a project, in order of time."""

    project = models.ForeignKey(
        CooperationProject, on_delete=models.CASCADE, related_name="notes", verbose_name=_("project")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"), max_length=5000)

    organization_lookup = "project__enterprises"

    class Meta:
        verbose_name = _("project note")
        verbose_name_plural = _("project notes")
        ordering = ["project", "at", "pk"]

    def __str__(self):
        return self.text[:60]


class ProjectDocumentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    BROCHURE = "brochure", _("Brochure or presentation")
    AGREEMENT = "agreement", _("Agreement or memorandum")
    OTHER = "other", pgettext_lazy("project document", "Other")


class ProjectDocument(CaseAttachment):
    """A document or image of a project; those marked public are shown on its public page once it is
    published."""

    application = models.ForeignKey(
        CooperationProject, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectDocumentKind.choices)
    public = models.BooleanField(
        _("shown on the public page"),
        default=False,
        help_text=_("Images and brochures the public may see once the project is published."),
    )

    organization_lookup = "application__enterprises"

    class Meta(CaseAttachment.Meta):
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
