from django.core.management.base import BaseCommand, CommandError

from foreign_affairs.audit.models import AuditEvent
from foreign_affairs.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain and report the first broken link (exit status 1 if broken)."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} events checked."))
            return
        if report.broken_at is not None:
            event = AuditEvent.objects.get(pk=report.broken_at)
            where = f"event #{event.pk} ({event.created_at:%Y-%m-%d %H:%M:%S %Z}, {event.action} {event.object_repr})"
            raise CommandError(
                f"Audit chain broken at {where}: {report.reason}. {report.checked} events before it are intact."
            )
        raise CommandError(f"Audit chain broken: {report.reason}. {report.checked} events checked.")
