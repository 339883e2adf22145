"""What the services of exchanges share: reference numbers, the office-staff checks, and reading a dict of
values (a form's, the API's, the demo's) into a model's fields with one error per field."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from foreign_affairs.accounts.roles import Role

from .. import codes
from ..models import Counter


def next_reference(prefix: str, year: int) -> str:
    counter, _created = Counter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:05d}"


def is_officer(actor) -> bool:
    return actor is not None and actor.is_authenticated and actor.is_active and actor.has_role(Role.OFFICER)


def require_officer(actor, message: str) -> None:
    if not is_officer(actor):
        raise PermissionDenied(message)


def require_office(actor, message: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active or not actor.is_office_staff:
        raise PermissionDenied(message)


def apply(obj: models.Model, data: dict, fields, *, code_sets: dict | None = None) -> tuple[dict, dict]:
    """Set on `obj` the values of `data` named in `fields` (those absent are left alone). `code_sets` maps
    a field kept as a code set (codes.py) to its choices. Returns (many-to-many values to set after the
    save, errors by field); values are converted by the model field, so "2026-05-01" is a date and a bad
    one an error beside its field."""
    relations, errors = {}, {}
    code_sets = code_sets or {}
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if name in code_sets:
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",")]
            allowed = {str(c) for c in code_sets[name]}
            chosen = [str(v) for v in value or [] if str(v)]
            if any(v not in allowed for v in chosen):
                errors[name] = [_("Choose from the list.")]
                continue
            setattr(obj, name, codes.join(chosen))
            continue
        field = obj._meta.get_field(name)
        if field.many_to_many:
            ids = [getattr(v, "pk", v) for v in value or []]
            try:
                found = list(field.related_model.objects.filter(pk__in=ids))
            except (TypeError, ValueError):
                found = []
            if len(found) != len(set(ids)):
                errors[name] = [_("Choose from the list.")]
                continue
            relations[name] = found
            continue
        if isinstance(value, str):
            value = value.strip()
        if field.is_relation:
            if value in (None, ""):
                setattr(obj, field.attname, None)
                continue
            pk = getattr(value, "pk", value)
            try:
                found = field.related_model.objects.filter(pk=pk).first()
            except (TypeError, ValueError):
                found = None
            if found is None:
                errors[name] = [_("Choose from the list.")]
                continue
            setattr(obj, name, found)
            continue
        if value is None and not field.null:
            value = "" if isinstance(field, (models.CharField, models.TextField)) else value
        if value == "" and field.null:
            value = None
        try:
            value = field.to_python(value)
        except ValidationError as error:
            errors[name] = list(error.messages)
            continue
        setattr(obj, name, value)
    return relations, errors


def full_clean(obj: models.Model, errors: dict, *, exclude=()) -> None:
    """Raise the errors gathered so far together with the model's own (lengths, choices, required)."""
    try:
        obj.full_clean(exclude=[*exclude, *errors], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def save_relations(obj: models.Model, relations: dict) -> None:
    for name, values in relations.items():
        getattr(obj, name).set(values)
