from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.selectors import verify_chain

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain and report the first broken link, then compare the checkpoints "
        "kept outside the database with the events (exit status 1 if either does not hold)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoints",
            type=Path,
            help="A checkpoint file to compare instead of AUDIT_CHECKPOINT_DIR's, e.g. the audit_checkpoint "
            "objects of the log archive, one JSON object a line.",
        )

    def handle(self, *args, checkpoints=None, **options):
        report = verify_chain(checkpoint_path=checkpoints)
        failures = []
        if report.chain_ok:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events checked."))
        elif report.broken_at is not None:
            event = AuditEvent.objects.get(pk=report.broken_at)
            where = f"event #{event.pk} ({event.created_at:%Y-%m-%d %H:%M:%S %Z}, {event.action} {event.object_repr})"
            failures.append(
                f"Audit chain broken at {where}: {report.reason}. {report.checked} events before it are intact."
            )
        else:
            failures.append(f"Audit chain broken: {report.reason}. {report.checked} events checked.")

        status = report.checkpoints
        if status.latest is None and status.ok:
            self.stdout.write(
                self.style.WARNING(
                    f"No checkpoints in {status.path}: the chain was checked only against itself "
                    "(the audit.write_checkpoint job writes one every hour)."
                )
            )
        elif status.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Checkpoints match: {status.checked} checked in {status.path}; the latest, of "
                    f"{status.latest.written_at}, names event #{status.latest.event_id}."
                )
            )
        else:
            shown = status.problems[:SHOWN_PROBLEMS]  # a rewrite fails every later checkpoint too
            more = len(status.problems) - len(shown)
            failures.append(
                f"Checkpoints do not match the database ({status.path}):\n"
                + "\n".join(f"  - {problem}" for problem in shown)
                + (f"\n  … and {more} more" if more else "")
            )
        if failures:
            raise CommandError("\n".join(failures))
