"""Passport numbers and private files at rest: encrypted, found again, re-encrypted on key rotation."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.files.base import ContentFile
from django.db import connection

from foreign_affairs.accounts.models import Person
from foreign_affairs.privacy import crypto
from tests.conftest import private_location
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_files():
    return private_location()


def stored(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608 (names are ours)
        return cursor.fetchone()[0]


def test_the_column_holds_no_plain_passport_number():
    person = PersonFactory(passport_number="E12345678")
    raw = stored("accounts_person", "passport_number", person.pk)
    assert "12345678" not in raw
    assert raw.startswith("gAAAAA")
    assert Person.objects.get(pk=person.pk).passport_number == "E12345678"
    index = stored("accounts_person", "passport_number_index", person.pk)
    assert len(index) == crypto.INDEX_LENGTH and "12345678" not in index


def test_lookup_by_number_uses_the_blind_index():
    person = PersonFactory(passport_number="E12345678")
    PersonFactory(passport_number="E87654321")
    assert list(Person.objects.filter(passport_number="E12345678")) == [person]
    assert list(Person.objects.filter(passport_number__iexact="e1234-5678")) == [person]
    assert list(Person.objects.filter(passport_number__in=["E12345678", "X0000000"])) == [person]
    assert Person.objects.filter(passport_number__in=[]).count() == 0
    assert Person.objects.exclude(passport_number="").filter(pk=person.pk).exists()


def test_substring_lookups_are_refused():
    with pytest.raises(FieldError):
        list(Person.objects.filter(passport_number__icontains="1234"))


def test_the_same_number_twice_in_one_organisation_is_refused():
    from django.core.exceptions import ValidationError

    first = PersonFactory(passport_number="E12345678")
    twin = Person(organization=first.organization, full_name="重复", passport_number="e12345678")
    with pytest.raises(ValidationError):
        twin.validate_constraints()


def test_empty_numbers_stay_empty_and_match():
    person = PersonFactory(passport_number="", passport_expiry=None)
    assert stored("accounts_person", "passport_number", person.pk) == ""
    assert Person.objects.filter(passport_number="", pk=person.pk).exists()


def test_rotation_re_encrypts_values_and_files_without_loss(settings, private_files):
    from django.core.management import call_command

    from foreign_affairs.documents.models import private_storage

    person = PersonFactory(passport_number="E12345678")
    storage = private_storage()
    name = storage.save("rotation/scan.pdf", ContentFile(b"%PDF-1.4 scan"))
    old_value = stored("accounts_person", "passport_number", person.pk)
    old_file = storage.raw_bytes(name)
    assert b"scan" not in old_file

    new_key = Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [new_key, *settings.PERSONAL_DATA_KEYS]
    call_command("personal_data_rekey", verbosity=0)

    new_value = stored("accounts_person", "passport_number", person.pk)
    assert new_value != old_value
    assert Fernet(new_key).decrypt(new_value.encode()) == b"E12345678"
    assert Fernet(new_key).decrypt(storage.raw_bytes(name)) == b"%PDF-1.4 scan"

    settings.PERSONAL_DATA_KEYS = [new_key]  # the old key dropped: everything still reads
    assert Person.objects.get(pk=person.pk).passport_number == "E12345678"
    assert Person.objects.filter(passport_number="E12345678").get() == person
    with storage.open(name) as handle:
        assert handle.read() == b"%PDF-1.4 scan"


def test_a_new_index_key_is_applied_by_the_same_command(settings):
    from django.core.management import call_command

    person = PersonFactory(passport_number="E12345678")
    settings.PERSONAL_DATA_INDEX_KEY = "another-index-key-0123456789abcdef"
    assert not Person.objects.filter(passport_number="E12345678").exists()
    call_command("personal_data_rekey", verbosity=0)
    assert Person.objects.get(passport_number="E12345678") == person


def test_private_files_are_stored_encrypted_and_read_plain(private_files):
    from foreign_affairs.documents.models import private_storage

    storage = private_storage()
    name = storage.save("scans/passport.jpg", ContentFile(b"\xff\xd8\xff JPEG passport"))
    raw = (private_files / name).read_bytes()
    assert b"passport" not in raw and raw.startswith(b"gAAAAA")
    with storage.open(name) as handle:
        assert handle.read() == b"\xff\xd8\xff JPEG passport"
    assert storage.size(name) == len(b"\xff\xd8\xff JPEG passport")


def test_files_written_before_encryption_are_read_and_then_encrypted(private_files):
    from django.core.management import call_command

    from foreign_affairs.documents.models import private_storage

    (private_files / "legacy").mkdir(parents=True, exist_ok=True)
    (private_files / "legacy" / "old.pdf").write_bytes(b"%PDF-1.4 old")
    storage = private_storage()
    with storage.open("legacy/old.pdf") as handle:
        assert handle.read() == b"%PDF-1.4 old"
    call_command("personal_data_rekey", verbosity=0)
    assert (private_files / "legacy" / "old.pdf").read_bytes().startswith(b"gAAAAA")
