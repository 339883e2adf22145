"""A text field stored encrypted, found again through a blind index.

    passport_number = EncryptedCharField(max_length=20, blind_index="passport_number_index",
                                         normalize=normalize_passport_number)
    passport_number_index = BlindIndexField()

In Python the value is the plain text (forms, serializers and templates see no difference); in the
database the column holds a Fernet token (crypto.encrypt_text) and the index column the keyed hash of the
normalised value, kept in step whenever the value is assigned. `filter(passport_number=...)`,
`__iexact` and `__in` compare the index, so every existing lookup, the admin's "=passport_number" search
and joins (`person__passport_number=...`) keep working; any other lookup (contains, ordering by the
text) is refused, since the database cannot see the text.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col

from . import crypto


def _identity(value: str) -> str:
    return value


class _ComputedIndex:
    """The index of an instance is always computed from its value: what the row held or anyone assigned
    is ignored, so the two cannot disagree (in full_clean's unique checks, bulk inserts, key rotation)."""

    def __init__(self, field):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        source = self.field.source_field()
        return source.index_of(getattr(instance, source.attname))

    def __set__(self, instance, value):
        # Kept in __dict__ only so that Django does not take the field for deferred (save() would update
        # "the loaded fields" of a row not yet inserted); __get__ always computes the index.
        instance.__dict__[self.field.attname] = value


class BlindIndexField(models.CharField):
    """The keyed hash of an EncryptedCharField's value (crypto.blind_index), computed from it."""

    descriptor_class = _ComputedIndex

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", crypto.INDEX_LENGTH)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def source_field(self) -> "EncryptedCharField":
        source = getattr(self, "_source", None)
        if source is None:
            source = next(
                f
                for f in self.model._meta.concrete_fields
                if isinstance(f, EncryptedCharField) and f.blind_index == self.name
            )
            self._source = source
        return source


class _BlindLookup(models.Lookup):
    prepare_rhs = False
    can_use_none_as_rhs = False

    def _index_column(self, compiler):
        if not isinstance(self.lhs, Col):
            raise FieldError("An encrypted field can only be compared as a column.")
        field = self.lhs.target
        index_field = field.model._meta.get_field(field.blind_index)
        return field, compiler.compile(Col(self.lhs.alias, index_field))

    def _hash(self, field, value):
        if hasattr(value, "resolve_expression"):
            raise FieldError("An encrypted field can only be compared with a value.")
        return field.index_of(str(value))


class BlindExact(_BlindLookup):
    lookup_name = "exact"

    def as_sql(self, compiler, connection):
        field, (sql, params) = self._index_column(compiler)
        return f"{sql} = %s", [*params, self._hash(field, self.rhs)]


class BlindIExact(BlindExact):
    lookup_name = "iexact"


class BlindIn(_BlindLookup):
    lookup_name = "in"

    def as_sql(self, compiler, connection):
        field, (sql, params) = self._index_column(compiler)
        hashes = [self._hash(field, value) for value in self.rhs]
        if not hashes:
            return "1 = 0", []
        return f"{sql} IN ({', '.join(['%s'] * len(hashes))})", [*params, *hashes]


class EncryptedCharField(models.CharField):
    def __init__(self, *args, blind_index: str, normalize=_identity, **kwargs):
        self.blind_index = blind_index
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["blind_index"] = self.blind_index
        if self.normalize is not _identity:
            kwargs["normalize"] = self.normalize
        return name, path, args, kwargs

    def db_type(self, connection):
        # A Fernet token of 20 characters is 120; text has no limit to outgrow.
        return models.TextField().db_type(connection)

    def get_internal_type(self):
        return "TextField"

    def index_of(self, value) -> str:
        return crypto.blind_index(self.normalize(value or "")) if isinstance(value, str) else ""

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt_text(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return crypto.encrypt_text(value) if value else value

    def get_lookup(self, lookup_name):
        return {"exact": BlindExact, "iexact": BlindIExact, "in": BlindIn}.get(lookup_name)

    def get_transform(self, name):
        return None


class EncryptedFieldsModel(models.Model):
    """A model with EncryptedCharFields: saving only some fields (update_fields) that include an encrypted
    one saves its blind index too."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            for field in self._meta.concrete_fields:
                if isinstance(field, EncryptedCharField) and (field.name in names or field.attname in names):
                    names.add(field.blind_index)
            kwargs["update_fields"] = names
        super().save(*args, **kwargs)
