"""What leaves the portal for other sites: the published cooperation projects and development achievements
as feed entries (Atom, JSON Feed) and as rows of the export the office sends to the national and provincial
platforms.

This module is the one place that decides which fields of a published item go out: the reference, titles
and descriptions in both languages, channel, FTZ area, industries, cooperation mode, partner country and
city, size, the achievement's date and its published projects, the dates of publication and change, and the
public address. Never the partner organisation, contact, enterprises, owner, stage or notes: the querysets
load only the public columns (`.only()`), so a field left out here cannot slip into a feed by accident.

Addresses are absolute on PORTAL_BASE_URL, never on the request's Host header: the entries' ids must not
change with the address a feed was fetched through.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from heapq import merge
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from foreign_affairs.audit.services import record_event
from foreign_affairs.reports.exporters import write_csv, write_xlsx
from foreign_affairs.reports.registry import Column, ReportDefinition
from foreign_affairs.security.countries import country_name
from foreign_affairs.typography import enumerate_items, label

from . import selectors
from .models import Achievement, CooperationProject
from .workflow import Channel

PROJECTS = "projects"
ACHIEVEMENTS = "achievements"
KINDS = (PROJECTS, ACHIEVEMENTS)
# An entry's `kind` (singular, as the JSON feed's extension and the export name one item).
KIND_OF = {CooperationProject: "project", Achievement: "achievement"}

# The columns a feed or the export may read; everything else stays in the database.
PROJECT_FIELDS = (
    "pk",
    "reference",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "channel",
    "ftz_area",
    "mode",
    "partner_country",
    "partner_city",
    "amount",
    "currency",
    "publication",
    "stage",  # never shown; django-fsm's ConcurrentTransitionMixin reads every state field on loading a row
    "published_at",
    "updated_at",
)
ACHIEVEMENT_FIELDS = (
    "pk",
    "reference",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "channel",
    "ftz_area",
    "happened_on",
    "publication",
    "published_at",
    "updated_at",
)
SUMMARY_CHARS = 200
OFFICE = gettext_lazy("Foreign and Overseas Chinese Affairs Office of Henan Province")
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


class BadSelection(ValueError):
    """A query parameter of a feed or the export names nothing that exists."""


@dataclass(frozen=True)
class Selection:
    """What a feed or the export holds: the language of its text, one channel or all, one kind or both."""

    language: str = field(default_factory=lambda: settings.LANGUAGE_CODE)
    channel: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, query) -> "Selection":
        """`lang`, `channel` and `kind` of a query string; BadSelection for a value that names nothing (an
        empty one means the default)."""
        values = {name: (query.get(name) or "").strip() for name in ("lang", "channel", "kind")}
        language = settings.LANGUAGE_CODE
        if values["lang"]:
            if not LANGUAGE_CODE.match(values["lang"]):
                raise BadSelection("lang")
            try:
                language = translation.get_supported_language_variant(
                    values["lang"].lower().replace("_", "-")
                )
            except LookupError as error:
                raise BadSelection("lang") from error
        if values["channel"] and values["channel"] not in Channel.values:
            raise BadSelection("channel")
        if values["kind"] and values["kind"] not in KINDS:
            raise BadSelection("kind")
        return cls(language=language, channel=values["channel"], kind=values["kind"])

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,) if self.kind else KINDS

    def query_string(self, *, with_language: bool = True) -> str:
        """The parameters that differ from the defaults, in a fixed order ("" for none)."""
        params = []
        if with_language and self.language != settings.LANGUAGE_CODE:
            params.append(("lang", self.language))
        if self.channel:
            params.append(("channel", self.channel))
        if self.kind:
            params.append(("kind", self.kind))
        return f"?{urlencode(params)}" if params else ""


def absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


# What is published ---------------------------------------------------------------------------------------


def projects_for(selection: Selection) -> QuerySet:
    """Published projects of the selection, newest first, public columns only, industries prefetched."""
    queryset = selectors.published_projects().only(*PROJECT_FIELDS)
    return queryset.filter(channel=selection.channel) if selection.channel else queryset


def achievements_for(selection: Selection) -> QuerySet:
    """Published achievements of the selection, newest first, with their published projects."""
    queryset = selectors.published_achievements().only(*ACHIEVEMENT_FIELDS)
    return queryset.filter(channel=selection.channel) if selection.channel else queryset


def _sort_key(item) -> tuple:
    return (item.published_at, item.pk)


def newest(selection: Selection, limit: int) -> list:
    """The `limit` newest published items of the selection, projects and achievements together, in a fixed
    number of queries (the newest `limit` of each kind, merged)."""
    lists = []
    if PROJECTS in selection.kinds:
        lists.append(list(projects_for(selection)[:limit]))
    if ACHIEVEMENTS in selection.kinds:
        lists.append(list(achievements_for(selection)[:limit]))
    return list(merge(*lists, key=_sort_key, reverse=True))[:limit]


def last_modified(selection: Selection) -> datetime.datetime | None:
    """When the selection last changed: the newest change of any item ever published (archiving one takes
    it out of the feeds, and changes the feeds too). None when nothing was ever published."""
    times = []
    for kind, model in ((PROJECTS, CooperationProject), (ACHIEVEMENTS, Achievement)):
        if kind not in selection.kinds:
            continue
        queryset = model.objects.filter(published_at__isnull=False)
        if selection.channel:
            queryset = queryset.filter(channel=selection.channel)
        newest_change = queryset.aggregate(at=Max("updated_at"))["at"]
        if newest_change is not None:
            times.append(newest_change)
    return max(times, default=None)


# Feed entries --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    scheme: str  # the catalogue filtered by this kind of category, without the value
    term: str  # the code
    label: str  # the name in the feed's language


@dataclass(frozen=True)
class Entry:
    """One published item as the feeds show it, in the language that was active when it was built."""

    kind: str
    reference: str
    id: str
    url: str
    title: str
    summary: str
    content: str
    published: datetime.datetime
    updated: datetime.datetime
    language: str
    categories: list[Category]
    extension: dict

    @property
    def tags(self) -> list[str]:
        return [category.label for category in self.categories]


def tag_uri(item, language: str) -> str:
    """A stable id (RFC 4151 tag URI) per item and language: the same item read in the other language is
    another entry, not an update of this one. The reference carries the year it was given."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    parts = item.reference.split("-")  # HNCP-2026-00001
    year = parts[1] if len(parts) == 3 and parts[1].isdigit() else str(item.published_at.year)
    return f"tag:{host},{year}:{KIND_OF[type(item)]}/{item.reference}/{language}"


def _categories(item) -> list[Category]:
    catalogue = absolute(reverse("projects:catalogue"))
    categories = [
        Category(f"{catalogue}?channel=", item.channel, item.get_channel_display()),
        Category(f"{catalogue}?area=", item.ftz_area, item.get_ftz_area_display()),
    ]
    if isinstance(item, CooperationProject):
        categories += [
            Category(f"{catalogue}?industry=", industry.code, industry.name)
            for industry in item.industries.all()
        ]
    return categories


def size_text(item) -> str:
    """A project's size as "12,000,000 EUR" (grouped as the language does), or "" without one."""
    if item.amount is None:
        return ""
    amount = Decimal(item.amount)
    places = 0 if amount == amount.to_integral_value() else 2
    number = formats.number_format(amount, decimal_pos=places, use_l10n=True, force_grouping=True)
    return f"{number} {item.currency}".strip()


def _field_label(item, name: str) -> str:
    """A field's name as the model gives it ("Cooperation mode"), in the active language."""
    return capfirst(type(item)._meta.get_field(name).verbose_name)


def _facts(item) -> list[tuple[str, str]]:
    """The public facts of an item beside its description, as (label, value) in the active language."""
    facts = [
        (_field_label(item, "channel"), item.get_channel_display()),
        (_field_label(item, "ftz_area"), item.get_ftz_area_display()),
    ]
    if isinstance(item, CooperationProject):
        facts += [
            (_field_label(item, "industries"), enumerate_items(i.name for i in item.industries.all())),
            (_field_label(item, "mode"), item.get_mode_display()),
            (
                _field_label(item, "partner_country"),
                country_name(item.partner_country.code) if item.partner_country else "",
            ),
            (_field_label(item, "partner_city"), item.partner_city),
            (pgettext("cooperation project", "Size"), size_text(item)),
        ]
    else:
        facts += [
            (_field_label(item, "happened_on"), formats.date_format(item.happened_on, "DATE_FORMAT")),
            (
                _field_label(item, "projects"),
                enumerate_items(project.title for project in item.public_projects),
            ),
        ]
    facts.append((_field_label(item, "reference"), item.reference))
    return [(name, value) for name, value in facts if value]


def _extension(item) -> dict:
    """The JSON feed's `_henan` object: codes rather than names, for the platforms that file the items."""
    data = {
        "reference": item.reference,
        "kind": KIND_OF[type(item)],
        "channel": item.channel,
        "ftz_area": item.ftz_area,
    }
    if isinstance(item, CooperationProject):
        data.update(
            industries=[industry.code for industry in item.industries.all()],
            mode=item.mode,
            partner_country=item.partner_country.code if item.partner_country else "",
            partner_city=xml_text(item.partner_city),
            size=(
                {"amount": str(item.amount), "currency": item.currency} if item.amount is not None else None
            ),
        )
    else:
        data.update(
            happened_on=item.happened_on.isoformat(),
            projects=[project.reference for project in item.public_projects],
        )
    return data


def xml_text(text: str) -> str:
    """`text` without the control characters XML 1.0 cannot hold (text pasted from a word processor may
    carry a form feed): Django's feed writer refuses them, and a feed must never fail for one."""
    return NOT_XML.sub("", text)


def entry(item) -> Entry:
    """A published project or achievement as a feed entry, in the active language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    description = xml_text(item.description)
    facts = "\n".join(f"{label(name)}{value}" for name, value in _facts(item))
    return Entry(
        kind=KIND_OF[type(item)],
        reference=item.reference,
        id=tag_uri(item, language),
        url=absolute(item.get_absolute_url()),
        title=xml_text(item.title),
        summary=Truncator(description).chars(SUMMARY_CHARS),
        content=xml_text(f"{description}\n\n{facts}"),
        published=item.published_at,
        updated=max(item.published_at, item.updated_at),
        language=language,
        categories=[
            Category(category.scheme, category.term, xml_text(category.label))
            for category in _categories(item)
        ],
        extension=_extension(item),
    )


def entries(selection: Selection, limit: int | None = None) -> list[Entry]:
    """The newest published items of the selection as entries in the selection's language."""
    with translation.override(selection.language):
        return [entry(item) for item in newest(selection, limit or settings.PROJECTS_FEED_ITEMS)]


# The export ----------------------------------------------------------------------------------------------

LANGUAGES = (("zh", "zh-hans"), ("en", "en"))


def _bilingual(key: str, width: float = 1.0) -> list[Column]:
    return [Column(f"{key}_{suffix}", f"{key}_{suffix}", width) for suffix, _language in LANGUAGES]


# Column keys are the headers: platforms map them once, so they never change with the reader's language.
EXPORT_COLUMNS = [
    Column("reference", "reference", 1.2),
    Column("kind", "kind", 0.8),
    *_bilingual("title", 2.5),
    *_bilingual("description", 4),
    Column("channel", "channel"),
    *_bilingual("channel"),
    Column("ftz_area", "ftz_area"),
    *_bilingual("ftz_area"),
    Column("industries", "industries", 1.5),
    *_bilingual("industries", 1.5),
    Column("mode", "mode"),
    *_bilingual("mode"),
    Column("partner_country", "partner_country", 0.8),
    *_bilingual("partner_country"),
    Column("partner_city", "partner_city"),
    Column("amount", "amount", 1.2, "number"),
    Column("currency", "currency", 0.6),
    Column("happened_on", "happened_on", 1, "date"),
    Column("projects", "projects", 1.5),
    Column("published_at", "published_at", 1.2, "date"),
    Column("updated_at", "updated_at", 1.2, "date"),
    Column("url", "url", 3),
]


def _names(item) -> dict:
    """The labels of an item's codes in one language (the active one)."""
    names = {
        "channel": item.get_channel_display(),
        "ftz_area": item.get_ftz_area_display(),
        "industries": "",
        "mode": "",
        "partner_country": "",
    }
    if isinstance(item, CooperationProject):
        names.update(
            industries="; ".join(industry.name for industry in item.industries.all()),
            mode=item.get_mode_display(),
            partner_country=country_name(item.partner_country.code) if item.partner_country else "",
        )
    return names


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment).replace(microsecond=0)


def export_row(item) -> tuple:
    """A published project or achievement as one row of the export, in EXPORT_COLUMNS' order."""
    names = {}
    for suffix, language in LANGUAGES:
        with translation.override(language):
            names[suffix] = _names(item)
    is_project = isinstance(item, CooperationProject)
    values = {
        "reference": item.reference,
        "kind": KIND_OF[type(item)],
        "title_zh": item.title_zh,
        "title_en": item.title_en,
        "description_zh": item.description_zh,
        "description_en": item.description_en,
        "channel": item.channel,
        "ftz_area": item.ftz_area,
        "industries": "; ".join(industry.code for industry in item.industries.all()) if is_project else "",
        "mode": item.mode if is_project else "",
        "partner_country": item.partner_country.code if is_project and item.partner_country else "",
        "partner_city": item.partner_city if is_project else "",
        "amount": item.amount if is_project else None,
        "currency": item.currency if is_project else "",
        "happened_on": None if is_project else item.happened_on,
        "projects": "" if is_project else "; ".join(project.reference for project in item.public_projects),
        "published_at": _local(item.published_at),
        "updated_at": _local(max(item.published_at, item.updated_at)),
        "url": absolute(item.get_absolute_url()),
    }
    for key in ("channel", "ftz_area", "industries", "mode", "partner_country"):
        for suffix, _language in LANGUAGES:
            values[f"{key}_{suffix}"] = names[suffix][key]
    return tuple(values[column.key] for column in EXPORT_COLUMNS)


EXPORT_CHUNK = 500


def export_rows(selection: Selection) -> Iterator[tuple]:
    """Every published item of the selection: the projects newest first, then the achievements. Read in
    chunks (each with its prefetches), so memory and the size of each query stay bounded."""
    if PROJECTS in selection.kinds:
        for item in projects_for(selection).iterator(chunk_size=EXPORT_CHUNK):
            yield export_row(item)
    if ACHIEVEMENTS in selection.kinds:
        for item in achievements_for(selection).iterator(chunk_size=EXPORT_CHUNK):
            yield export_row(item)


def export_count(selection: Selection) -> int:
    count = 0
    if PROJECTS in selection.kinds:
        count += projects_for(selection).count()
    if ACHIEVEMENTS in selection.kinds:
        count += achievements_for(selection).count()
    return count


EXPORT_FORMATS = {"csv": write_csv, "xlsx": write_xlsx}


def may_export(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_office_staff)


def export_file_name(format: str) -> str:
    return f"henan-cooperation-projects-{timezone.localdate().isoformat()}.{format}"


def published_export(*, actor, format: str, selection: Selection, out) -> int:
    """Write the published items of `selection` to the binary file `out` as CSV (UTF-8 with a byte-order
    mark) or XLSX, through the reports' exporters (text a spreadsheet would run as a formula is quoted), and
    audit it. Office staff only (PermissionDenied). Returns the number of rows."""
    if not may_export(actor):
        raise PermissionDenied(_("Only the office's staff export the published projects."))
    definition = ReportDefinition(
        name="published_projects",
        title=_("Published projects"),
        description="",
        columns=EXPORT_COLUMNS,
        rows=lambda _filters: export_rows(selection),
        count=lambda _filters: export_count(selection),
    )
    rows = EXPORT_FORMATS[format](definition, None, out, lambda _percent: None)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="cooperation_project.export",
            data={"format": format, "channel": selection.channel, "kind": selection.kind, "rows": rows},
        )
    return rows
