"""A change request naming a new chief representative keeps the proposed passport number encrypted in its
JSON (read plain in Python), out of the audit log, and re-encrypted by key rotation."""

from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.privacy import crypto
from foreign_offices.models import ChangeRequest
from foreign_offices.services import changes

from .factories import member_of, opened_case

pytestmark = pytest.mark.django_db

NUMBER = "C7X2L9P4R"


def stored_proposal(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT proposed::text FROM foreign_offices_changerequest WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def file_chief_representative(officer):
    case = opened_case(officer)
    return changes.change_submit(
        organisation=case.organisation,
        actor=member_of(case.organisation),
        kind="chief_representative",
        proposed={
            "full_name": "Lukas Becker",
            "passport_number": "c7x2 l9p4r",
            "passport_expiry": date(date.today().year + 5, 5, 14).isoformat(),
            "position": "Chief Representative",
        },
    )


def test_the_proposed_passport_number_is_encrypted_in_the_column(officer):
    request = file_chief_representative(officer)
    raw = stored_proposal(request.pk)
    assert NUMBER not in raw.upper() and "gAAAAA" in raw
    assert "Chief Representative" in raw  # the other values stay as they were
    assert ChangeRequest.objects.get(pk=request.pk).proposed["passport_number"] == NUMBER


def test_the_audit_event_of_the_request_holds_no_personal_data(officer):
    request = file_chief_representative(officer)
    event = AuditEvent.objects.get(action="change_request.submit", object_id=str(request.pk))
    text = str(event.data)
    assert NUMBER not in text and "Lukas Becker" not in text
    assert event.data["kind"] == "chief_representative" and "passport_number" in event.data["proposed"]


def test_approval_adds_the_person_with_the_number_read_plain(officer):
    request = file_chief_representative(officer)
    changes.change_transition(request=request, actor=officer, name="approve")
    request.organisation.refresh_from_db()
    assert request.organisation.chief_representative.passport_number == NUMBER


def test_rotation_re_encrypts_the_proposed_number(officer, settings):
    request = file_chief_representative(officer)
    before = stored_proposal(request.pk)
    new_key = Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [new_key, *settings.PERSONAL_DATA_KEYS]
    call_command("personal_data_rekey", verbosity=0)
    after = stored_proposal(request.pk)
    assert after != before and NUMBER not in after
    token = ChangeRequest.objects.filter(pk=request.pk).values_list("proposed__passport_number", flat=True)[0]
    assert Fernet(new_key).decrypt(token.encode()) == NUMBER.encode()
    settings.PERSONAL_DATA_KEYS = [new_key]  # the old key dropped: the number still reads
    assert ChangeRequest.objects.get(pk=request.pk).proposed["passport_number"] == NUMBER


def test_a_number_stored_plain_before_the_migration_reads_and_is_encrypted_by_rotation(officer):
    request = file_chief_representative(officer)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE foreign_offices_changerequest SET proposed = jsonb_set(proposed, '{passport_number}', %s)"
            " WHERE id = %s",
            [f'"{NUMBER}"', request.pk],
        )
    assert NUMBER in stored_proposal(request.pk)
    assert ChangeRequest.objects.get(pk=request.pk).proposed["passport_number"] == NUMBER
    call_command("personal_data_rekey", verbosity=0)
    assert NUMBER not in stored_proposal(request.pk)
    assert (
        crypto.decrypt_text(
            ChangeRequest.objects.filter(pk=request.pk).values_list("proposed__passport_number", flat=True)[0]
        )
        == NUMBER
    )
