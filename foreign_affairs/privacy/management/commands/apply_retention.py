from django.core.management.base import BaseCommand
from django.utils import timezone

from foreign_affairs.privacy.retention import apply, plan_by_kind


class Command(BaseCommand):
    help = (
        "Purge the personal data kept past its retention period (the rules in the back office), each record "
        "with an audit event. --dry-run lists what would go, per kind, and removes nothing. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would go; remove nothing.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        plans = plan_by_kind(now)
        for kind_plan in plans:
            enforced = "" if kind_plan.enforced else " (not enforced: nothing is removed)"
            self.stdout.write(
                f"{kind_plan.kind.name}: {len(kind_plan.due)} due, kept {kind_plan.months} months{enforced}"
            )
            for item in kind_plan.due:
                closed = timezone.localtime(item.closed_at).date() if item.closed_at else "-"
                self.stdout.write(f"  {item.case}  closed {closed}")
        due = sum(len(kind_plan.due) for kind_plan in plans)
        if dry_run:
            self.stdout.write(f"dry run: {due} due, nothing removed")
            return
        summary = apply(now=now)
        self.stdout.write(f"purged: {summary['purged']} of {summary['due']} due, failed: {summary['failed']}")
        for name, entry in summary["kinds"].items():
            if entry["removed"]:
                counts = ", ".join(f"{what} {count}" for what, count in sorted(entry["removed"].items()))
                self.stdout.write(f"  {name}: {counts}")
        if summary["failed"]:
            self.stderr.write(f"{summary['failed']} records could not be purged; see the log")
