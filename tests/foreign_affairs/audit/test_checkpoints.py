"""Checkpoints of the chain's newest event are kept outside the database and find what the chain cannot:
a rewrite made with the key, and a chain cut together with its head."""

import hashlib
import hmac
import json
import logging
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from pythonjsonlogger.json import JsonFormatter

from foreign_affairs.audit.checkpoints import FILE_NAME, Checkpoint
from foreign_affairs.audit.models import GENESIS_HASH, AuditEvent
from foreign_affairs.audit.selectors import verify_chain
from foreign_affairs.audit.services import checkpoint_write, record_event
from foreign_affairs.audit.signing import signing_key
from foreign_affairs.audit.tasks import verify_chain_task, write_checkpoint_task
from tests.foreign_affairs.audit.conftest import tamper

pytestmark = pytest.mark.django_db


def _lines(directory: Path) -> list[dict]:
    return [json.loads(line) for line in (directory / FILE_NAME).read_text().splitlines()]


def test_the_checkpoint_job_writes_a_signed_line_to_the_file_and_the_log(chain, checkpoint_dir, caplog):
    with caplog.at_level(logging.INFO, logger="foreign_affairs.audit"):
        assert write_checkpoint_task.delay().get() == chain[-1].pk

    [line] = _lines(checkpoint_dir)
    assert line["kind"] == "audit.checkpoint"
    assert (line["event_id"], line["hash"], line["key_id"]) == (
        chain[-1].pk,
        chain[-1].hash,
        signing_key().id,
    )
    # Anyone with the key can check the line without the portal's code.
    signed = json.dumps({k: v for k, v in line.items() if k != "mac"}, sort_keys=True, separators=(",", ":"))
    key = django_settings.AUDIT_HMAC_KEY.encode()
    assert line["mac"] == hmac.new(key, signed.encode(), hashlib.sha256).hexdigest()

    [record] = [record for record in caplog.records if hasattr(record, "audit_checkpoint")]
    assert record.audit_checkpoint == line

    report = verify_chain()
    assert report.ok and report.checkpoints.checked == 1
    assert report.checkpoints.latest.event_id == chain[-1].pk


def test_the_checkpoint_is_one_json_log_line_in_production(chain, caplog):
    with caplog.at_level(logging.INFO, logger="foreign_affairs.audit"):
        checkpoint = checkpoint_write()
    [record] = [record for record in caplog.records if hasattr(record, "audit_checkpoint")]
    production = django_settings.LOGGING["formatters"]["json"]
    formatter = JsonFormatter(production["fmt"], rename_fields=production["rename_fields"])
    logged = json.loads(formatter.format(record))
    assert (logged["level"], logged["logger"], logged["message"]) == (
        "INFO",
        "foreign_affairs.audit.services",
        "audit checkpoint",
    )
    assert Checkpoint.from_json(json.dumps(logged["audit_checkpoint"])) == checkpoint


def test_running_the_job_twice_adds_no_line_until_the_chain_grows(chain, checkpoint_dir, officer):
    first = checkpoint_write()
    assert checkpoint_write() == first
    write_checkpoint_task.delay()
    assert len(_lines(checkpoint_dir)) == 1

    newest = record_event(actor=officer, action="organization.update", comment="later")
    checkpoint_write()
    checkpoint_write()
    assert [line["event_id"] for line in _lines(checkpoint_dir)] == [chain[-1].pk, newest.pk]
    report = verify_chain()
    assert report.ok and report.checkpoints.checked == 2


def test_no_checkpoint_is_written_while_the_log_is_empty(checkpoint_dir):
    assert checkpoint_write() is None
    assert not (checkpoint_dir / FILE_NAME).exists()
    assert verify_chain().ok


def test_a_rewrite_with_the_key_after_a_checkpoint_is_found_by_the_checkpoint(chain, capsys):
    """Someone who holds the key as well as the database changes an event and re-signs the chain after
    it: the chain holds, but the checkpoint written before names a hash the newest event no longer has."""
    checkpoint_write()
    key = signing_key()
    prev_hash = chain[1].hash
    for event in AuditEvent.objects.filter(pk__gte=chain[2].pk).order_by("id"):
        if event.pk == chain[2].pk:
            event.comment = "nothing happened"
        event.prev_hash = prev_hash
        event.hash = key.mac(event.canonical_payload())
        tamper(
            "UPDATE audit_auditevent SET comment = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.comment, event.prev_hash, event.hash, event.pk],
        )
        prev_hash = event.hash
    tamper("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev_hash])

    report = verify_chain()
    assert report.chain_ok, report  # re-signed with the key: the chain alone cannot tell
    assert not report.ok
    [problem] = report.checkpoints.problems
    assert f"event #{chain[-1].pk} no longer has the hash" in problem
    with pytest.raises(CommandError, match=f"(?s)Checkpoints do not match.*event #{chain[-1].pk}"):
        call_command("audit_verify")
    assert "Audit chain intact" in capsys.readouterr().out


def test_a_chain_cut_below_a_checkpoint_is_found(chain, caplog):
    """The newest events are deleted and the chain head moved back to the last one left: the chain is
    consistent again, but a checkpoint names an event that is gone."""
    checkpoint_write()
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [chain[3].pk])
    tamper(
        "UPDATE audit_chainhead SET last_hash = %s, last_event_id = %s WHERE id = 1",
        [chain[2].hash, chain[2].pk],
    )

    report = verify_chain()
    assert report.chain_ok and report.checked == 3
    [problem] = report.checkpoints.problems
    assert f"event #{chain[-1].pk}, named by the checkpoint" in problem and "is missing" in problem
    with pytest.raises(CommandError, match="cut or rows removed below a checkpoint"):
        call_command("audit_verify")
    with caplog.at_level(logging.ERROR, logger="foreign_affairs.audit"):
        assert verify_chain_task.delay().get() is False  # the nightly job logs it as an error
    assert [
        record.reason for record in caplog.records if record.message == "audit checkpoint does not match"
    ] == [problem]


def test_an_altered_or_forged_checkpoint_line_is_reported(chain, checkpoint_dir):
    checkpoint_write()
    path = checkpoint_dir / FILE_NAME
    line = json.loads(path.read_text())
    forged = {**line, "hash": "0" * 64}
    unsigned = {**line, "mac": hashlib.sha256(b"no key").hexdigest()}
    path.write_text(
        "\n".join([path.read_text().strip(), json.dumps(forged), json.dumps(unsigned), "{not json"]) + "\n"
    )

    problems = verify_chain().checkpoints.problems
    assert problems == (
        f"checkpoint line 2 of {path}: its signature does not hold (it was altered)",
        f"checkpoint line 3 of {path}: its signature does not hold (it was altered)",
        f"checkpoint line 4 of {path}: not a checkpoint (Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1))",
    )
    # The job does not take a line it cannot verify for the latest checkpoint: it appends a new one.
    checkpoint_write()
    assert len(path.read_text().splitlines()) == 5


def test_audit_verify_reports_the_checkpoint_status(chain, checkpoint_dir, capsys):
    call_command("audit_verify")
    output = capsys.readouterr().out
    assert "5 events checked" in output and f"No checkpoints in {checkpoint_dir / FILE_NAME}" in output

    checkpoint_write()
    call_command("audit_verify")
    output = capsys.readouterr().out
    assert f"Checkpoints match: 1 checked in {checkpoint_dir / FILE_NAME}" in output
    assert f"names event #{chain[-1].pk}" in output


def test_audit_verify_compares_a_checkpoint_file_from_elsewhere(chain, tmp_path):
    """Checkpoints collected from the log archive (its audit_checkpoint objects) are checked the same way."""
    archive = tmp_path / "from-the-logs.jsonl"
    archive.write_text(Checkpoint.sign(event_id=chain[1].pk, hash=chain[1].hash).as_json() + "\n")
    call_command("audit_verify", checkpoints=archive)

    archive.write_text(Checkpoint.sign(event_id=chain[1].pk, hash=chain[0].hash).as_json() + "\n")
    with pytest.raises(CommandError, match=f"event #{chain[1].pk} no longer has the hash"):
        call_command("audit_verify", "--checkpoints", str(archive))


def test_audit_verify_lists_the_first_twenty_checkpoints_that_no_longer_match(officer, capsys):
    events = []
    for i in range(25):
        events.append(record_event(actor=officer, action="user.update_profile", obj=officer, comment=str(i)))
        checkpoint_write()
    key, prev_hash = signing_key(), GENESIS_HASH
    for event in AuditEvent.objects.order_by("id"):  # re-signed from the first event on
        event.comment += " (rewritten)"
        event.prev_hash = prev_hash
        event.hash = key.mac(event.canonical_payload())
        tamper(
            "UPDATE audit_auditevent SET comment = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.comment, event.prev_hash, event.hash, event.pk],
        )
        prev_hash = event.hash
    tamper("UPDATE audit_chainhead SET last_hash = %s WHERE id = 1", [prev_hash])

    assert len(verify_chain().checkpoints.problems) == 25
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    message = str(failure.value)
    assert message.count("no longer has the hash") == 20
    assert message.endswith("… and 5 more")
