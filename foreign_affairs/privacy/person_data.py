"""A person's rights (PIPL articles 45 and 47): everything the portal holds about one person as a ZIP, and
erasure on request where no duty to keep the data applies.

What the areas hold comes from their PersonalDataSource (areas.registry; each area's personal_data.py):
`collect` and `files` for the export, `duties` and `erase` for the erasure. Both are audited without
personal data: the log names the person only by number ("Person #12", Person.audit_repr), since it is
append-only and outlives the erasure.

    data = person_data.export(person, actor=request.user, request=request)  # bytes of a ZIP
    person_data.duties(person)  # ["On travel application HNFA-2026-000012 (kept until 2036-05-01)", ...]
    person_data.erase(person, actor=request.user, reason="...")  # ValidationError listing the duties
"""

import io
import json
import posixpath
import re
import zipfile
from calendar import monthrange
from datetime import date

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_valid_filename

from foreign_affairs.accounts.models import Person
from foreign_affairs.areas.registry import PersonalDataSource, all_areas
from foreign_affairs.audit.services import record_event

from . import access
from .models import Door, PersonalDataAccess, RetentionRule, Seen

ERASED = "[erased]"

README = """\
个人信息副本 · Copy of personal information
==========================================

本压缩包是河南自由贸易试验区外事服务平台所保存的一名个人的全部个人信息副本，应本人依据《中华人民共和国
个人信息保护法》第四十五条提出的请求导出。

This archive holds everything the Henan Free Trade Zone foreign-affairs portal keeps about one person,
exported at the person's request under article 45 of the Personal Information Protection Law of the
People's Republic of China.

内容 · Contents
- person.json：个人档案（含完整护照号码）及各业务领域的记录。
  The person's record (with the whole passport number) and each area's records, as JSON.
- files/：各领域保存的文件（护照资料页、照片、证书等），已解密，与上传时一致。
  The files the areas keep (passport page, photographs, certificates...), decrypted, as uploaded.

本文件含敏感个人信息，请妥善保管，仅交付本人。导出已记入访问记录和审计日志。
This file holds sensitive personal information: keep it safe and hand it only to the person. The export
is recorded in the access records and the audit log.

导出时间 · Exported: {exported}
记录编号 · Person number: {pk}
"""


# The areas' records -----------------------------------------------------------------------------------


def sources() -> list[PersonalDataSource]:
    """What the areas hold about people (areas.registry), in the order of the areas."""
    return [source for area in all_areas() for source in area.personal_data]


def person_record(person: Person) -> dict:
    """The Person row itself, every field, the passport number whole."""
    return {
        "id": person.pk,
        "organization": {
            "id": person.organization_id,
            "name_zh": person.organization.name_zh,
            "name_en": person.organization.name_en,
        },
        "full_name": person.full_name,
        "pinyin_name": person.pinyin_name,
        "gender": person.gender,
        "birth_date": person.birth_date,
        "position": person.position,
        "passport_number": person.passport_number,
        "passport_type": person.passport_type,
        "passport_expiry": person.passport_expiry,
        "phone": person.phone,
        "email": person.email,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
    }


def collect(person: Person) -> dict:
    """Everything as one JSON-ready mapping: {"person": {...}, "<source>": {...}, ...}."""
    data = {"person": person_record(person)}
    for source in sources():
        data[source.name] = dict(source.collect(person))
    return data


def _zip_name(source: str, name: str, taken: set) -> str:
    folder = get_valid_filename(source) or "files"
    stem, extension = posixpath.splitext(posixpath.basename(str(name)))
    candidate = f"files/{folder}/{stem or 'file'}{extension}"
    number = 2
    while candidate in taken:
        candidate = f"files/{folder}/{stem or 'file'}-{number}{extension}"
        number += 1
    taken.add(candidate)
    return candidate


def export(person: Person, *, actor, request=None) -> bytes:
    """The person's data export: a ZIP of person.json, the files (decrypted through the storage) and a
    bilingual README.txt. Writes an access record (Seen.PERSON_EXPORT; the door is the request's, or
    "export" without one) and the audit event "person.data_export" (counts, no personal data)."""
    person = Person.objects.select_related("organization").get(pk=person.pk)
    data = collect(person)
    buffer = io.BytesIO()
    taken = {"person.json", "README.txt"}
    listed = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in sources():
            for name, field_file in source.files(person):
                if not field_file:
                    continue
                with field_file.storage.open(field_file.name, "rb") as handle:
                    content = handle.read()
                entry = _zip_name(source.name, name, taken)
                archive.writestr(entry, content)
                listed.append({"source": source.name, "file": entry, "size": len(content)})
        data["files"] = listed
        archive.writestr("person.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2))
        archive.writestr(
            "README.txt",
            README.format(exported=timezone.localtime().strftime("%Y-%m-%d %H:%M %Z"), pk=person.pk),
        )
    with transaction.atomic():
        access.record(
            request,
            seen=Seen.PERSON_EXPORT,
            people=[person],
            user=actor,
            door=None if request is not None else Door.EXPORT,
            case=f"Person #{person.pk}",
        )
        record_event(
            actor=actor,
            action="person.data_export",
            obj=person,
            data={"files": len(listed), "sources": [source.name for source in sources()]},
        )
    return buffer.getvalue()


def export_filename(person: Person) -> str:
    """The export's file name says it holds personal data, and names the person only by number."""
    return f"personal-data-person-{person.pk}-{timezone.localdate():%Y%m%d}.zip"


# Duties and erasure -------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def kept_until(kind: str, closed_at, *, default_months: int) -> date:
    """The day a record of retention kind `kind` whose case closed at `closed_at` (a date or datetime) may
    go: the office's rule for the kind (privacy.RetentionRule), else the kind's own default, else
    `default_months`."""
    from .retention import kinds

    rule = RetentionRule.objects.filter(kind=kind).values_list("months", flat=True).first()
    if rule is None:
        rule = next((item.months for item in kinds() if item.name == kind), default_months)
    if hasattr(closed_at, "hour"):
        closed_at = timezone.localtime(closed_at).date()
    return add_months(closed_at, rule)


def duties(person: Person) -> list[str]:
    """Why the person's data must still be kept, every source's sentences; empty when it may go."""
    return [str(duty) for source in sources() for duty in source.duties(person)]


def _identifiers(person: Person) -> list[str]:
    values = [person.full_name, person.pinyin_name, person.passport_number, person.email, person.phone]
    if person.passport_number:
        values.append(person.passport_number_index)
    return [value for value in values if value and len(value.strip()) >= 2]


def scrub(text: str, identifiers) -> str:
    """`text` with every identifier replaced by ERASED (case-insensitive)."""
    for value in identifiers:
        text = re.sub(re.escape(value), ERASED, text, flags=re.IGNORECASE)
    return text


def _scrub_shared(person: Person, identifiers: list[str]) -> dict[str, int]:
    """What the shared apps kept naming the person outside the areas: messages to users (subject, body,
    texts by language) and addresses in the access records (a search for their name or number)."""
    from urllib.parse import unquote

    from foreign_affairs.notifications.models import Notification, OutboxMessage

    counts = {"messages": 0, "access_records": 0}
    outboxes = [
        model for model in apps.get_models() if issubclass(model, OutboxMessage) and not model._meta.abstract
    ]
    for model, fields in (
        (Notification, ("subject", "body", "texts")),
        *((model, ("subject", "body")) for model in outboxes),
    ):
        query = Q(pk__in=[])
        for value in identifiers:
            for field in fields:
                query |= Q(**{f"{field}__icontains": value})
        for message in model.objects.filter(query):
            for field in fields:
                value = getattr(message, field)
                if isinstance(value, str):
                    value = scrub(value, identifiers)
                else:
                    value = json.loads(scrub(json.dumps(value, ensure_ascii=False), identifiers))
                setattr(message, field, value)
            message.save(update_fields=list(fields))
            counts["messages"] += 1
    for record in PersonalDataAccess.objects.filter(path__contains="?").only("pk", "path"):
        plain = unquote(record.path.replace("+", " ")).lower()
        if any(value.lower() in plain for value in identifiers):
            PersonalDataAccess.objects.filter(pk=record.pk).update(path=record.path.split("?")[0])
            counts["access_records"] += 1
    return counts


def erase(person: Person, *, actor, reason: str) -> dict[str, dict]:
    """Erase the person on request: refused (ValidationError listing the duties) while any source has a
    duty; otherwise every source's erase(person), the person's row, and what the shared apps kept naming
    them, in one transaction, with the audit event "person.erase" (the person's number and the counts;
    the reason with the person's identifiers taken out)."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        found = duties(person)
        if found:
            raise ValidationError(found, code="retention_duty")
        identifiers = _identifiers(person)
        counts = {source.name: dict(source.erase(person)) for source in sources()}
        counts["shared"] = _scrub_shared(person, identifiers)
        pk = person.pk
        record_event(
            actor=actor,
            action="person.erase",
            obj=person,
            comment=scrub(reason or "", identifiers),
            data={"person": pk, "counts": counts},
        )
        person.delete()
    return counts
