"""What the registry of foreign organisations holds about one person (foreign_affairs.privacy.person_data):
the organisations they represent as chief representative, and their name in the registry's history and
in the change requests that proposed them."""

import json

from django.utils.translation import gettext as _

from foreign_affairs.areas.registry import PersonalDataSource
from foreign_affairs.privacy.person_data import ERASED, scrub

from .models import ChangeRequest, FieldChange, ForeignOrganisation


def _identifiers(person) -> list[str]:
    return [value for value in (person.full_name, person.pinyin_name, person.passport_number) if value]


def _requests(person):
    """Change requests of the person's organisation that name them (by name or passport number)."""
    found = []
    identifiers = [value.lower() for value in _identifiers(person)]
    for request in ChangeRequest.objects.filter(organisation__account_id=person.organization_id):
        text = json.dumps([request.proposed, request.current], ensure_ascii=False).lower()
        if any(value in text for value in identifiers) or f'"{person.pk}:' in text:
            found.append(request)
    return found


def collect(person) -> dict:
    return {
        "chief_representative_of": [
            {"organisation": organisation.name, "name_zh": organisation.name_zh, "state": organisation.state}
            for organisation in ForeignOrganisation.objects.filter(chief_representative=person)
        ],
        "registry_changes": [
            {
                "organisation": change.organisation.name_zh,
                "field": change.field,
                "old_value": change.old_value,
                "new_value": change.new_value,
                "changed_at": change.changed_at,
            }
            for change in _changes(person).select_related("organisation")
        ],
        "change_requests": [
            {"kind": request.kind, "proposed": request.proposed, "submitted_at": request.submitted_at}
            for request in _requests(person)
        ],
    }


def _changes(person):
    prefix = f"{person.pk}:"
    return FieldChange.objects.filter(field="chief_representative").filter(
        old_value__startswith=prefix
    ) | FieldChange.objects.filter(field="chief_representative", new_value__startswith=prefix)


def duties(person) -> list[str]:
    return [
        _("Chief representative of %(organisation)s in the registry of foreign organisations")
        % {"organisation": organisation.name_zh}
        for organisation in ForeignOrganisation.objects.filter(chief_representative=person)
    ]


def erase(person) -> dict[str, int]:
    erased = f"{person.pk}:{ERASED}"
    prefix = f"{person.pk}:"
    changes = 0
    for change in _changes(person):
        if change.old_value.startswith(prefix):
            change.old_value = erased
        if change.new_value.startswith(prefix):
            change.new_value = erased
        FieldChange.objects.filter(pk=change.pk).update(
            old_value=change.old_value, new_value=change.new_value
        )
        changes += 1
    identifiers = _identifiers(person)
    requests = _requests(person)
    for request in requests:
        proposed = json.loads(scrub(json.dumps(request.proposed, ensure_ascii=False), identifiers))
        current = json.loads(scrub(json.dumps(request.current, ensure_ascii=False), identifiers))
        for key in ("passport_expiry", "birth_date"):
            if key in proposed:
                proposed[key] = ""
        ChangeRequest.objects.filter(pk=request.pk).update(proposed=proposed, current=current)
    return {"registry_changes": changes, "change_requests": len(requests)}


SOURCE = PersonalDataSource(name="foreign_offices", collect=collect, duties=duties, erase=erase)
