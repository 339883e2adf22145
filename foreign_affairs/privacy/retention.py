"""Retention: each kind of record is kept for the months the office sets (RetentionRule) after its case
closed, then its personal data is purged by the nightly job; a dry run lists what would go.

The kinds are the shared ones below (access records, e-mails to people without an account) and each
area's (`retention` of its foreign_affairs.areas registration). A kind's `due(cutoff)` lists what is past
its period and still holds data, never a record whose case is open; `purge(due)` removes it. `apply()`
purges each due record in its own transaction with one audit event that names the kind, the case and
what was removed as counts — never the data. A record already purged is no longer due, so a second run
removes nothing more."""

import calendar
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from foreign_affairs.areas.registry import RetentionKind, all_areas
from foreign_affairs.audit.services import record_event

logger = logging.getLogger(__name__)

# The models are looked up by name: privacy.models names the kinds through this module (kind_label).
PURGE_ACTION = "retention.purge"
RUN_ACTION = "retention.run"
RULE_ACTION = "retention_rule.update"
# What a purge counts (Due.detail, the audit event's "removed"), for people.
COUNT_LABELS = {
    "files": _("files"),
    "attachments": _("attachments"),
    "records": _("records"),
    "access_records": _("access records"),
    "emails": _("e-mails"),
    "members": _("delegation members"),
    "passport_handovers": _("passport handovers"),
    "notices": _("public notices"),
    "objections": _("objections"),
    "fields": _("fields"),
}
ACCESS_RECORDS = "access_records"
OUTBOX_MESSAGES = "outbox_messages"


@dataclass
class Due:
    """One record whose retention has run out: `case` names it for people (a reference), `closed_at` is
    when its case closed, `target` is what the kind's purge() needs."""

    kind: str
    case: str
    closed_at: object
    target: object = None
    detail: dict = field(default_factory=dict)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the month's last day when it is shorter)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


# Files ---------------------------------------------------------------------------------------------------


def _delete_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # the row is gone; a file left behind is logged, never a failed purge
        logger.exception("retention: stored file not deleted", extra={"file": name})


def delete_file_on_commit(field_file) -> int:
    """Delete a stored file once the caller's transaction commits (never if it rolls back); 1 if there
    was one."""
    if not field_file or not field_file.name:
        return 0
    transaction.on_commit(partial(_delete_file, field_file.storage, field_file.name))
    return 1


def delete_documents(documents) -> int:
    """Delete documents (foreign_affairs.documents.Document, detached from their cases already) and,
    after commit, their files. Returns how many files go. No `document.delete` audit event: it would
    keep the file's name, which may be a person's."""
    from foreign_affairs.documents.models import Document

    documents = list(documents)
    files = sum(delete_file_on_commit(document.file) for document in documents)
    Document.objects.filter(pk__in=[document.pk for document in documents]).delete()
    return files


# Shared kinds --------------------------------------------------------------------------------------------


def log_days_due(model, kind: str, cutoff) -> list[Due]:
    """Rows of a log `model` (with an `at` time) written before `cutoff`, one entry per day written."""
    days = (
        model.objects.filter(at__lt=cutoff)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(records=Count("pk"), last=Max("at"))
        .order_by("day")
    )
    return [
        Due(
            kind=kind,
            case=row["day"].isoformat(),
            closed_at=row["last"],
            target=(row["day"], cutoff),
            detail={"records": row["records"]},
        )
        for row in days
    ]


def log_day_purge(model, due: Due) -> dict:
    """Delete the rows of a log_days_due() entry: its day, before its cutoff."""
    day, cutoff = due.target
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    end = min(start + timedelta(days=1), cutoff)
    removed, _by_model = model.objects.filter(at__gte=start, at__lt=end).delete()
    return {"access_records": removed}


def _access_due(cutoff) -> list[Due]:
    """Access records written before `cutoff`, one entry per day they were written."""
    return log_days_due(apps.get_model("privacy", "PersonalDataAccess"), ACCESS_RECORDS, cutoff)


def _access_purge(due: Due) -> dict:
    return log_day_purge(apps.get_model("privacy", "PersonalDataAccess"), due)


def _outbox_models() -> list:
    from foreign_affairs.notifications.models import OutboxMessage

    return [model for model in apps.get_models() if issubclass(model, OutboxMessage)]


def _case_field(model):
    """The foreign key of an outbox message to its case (the first one to a model with a reference)."""
    for model_field in model._meta.concrete_fields:
        if model_field.is_relation and any(
            f.name == "reference" for f in model_field.related_model._meta.concrete_fields
        ):
            return model_field
    return None


def _outbox_due(cutoff) -> list[Due]:
    """E-mails to people without an account sent (or given up on) before `cutoff`, not yet blanked."""
    from foreign_affairs.notifications.outbox import MAX_ATTEMPTS

    due = []
    for model in _outbox_models():
        case = _case_field(model)
        rows = (
            model.objects.exclude(to="")
            .filter(
                Q(sent_at__lt=cutoff)
                | Q(sent_at__isnull=True, attempts__gte=MAX_ATTEMPTS, created_at__lt=cutoff)
            )
            .order_by("sent_at", "pk")
        )
        values = ["pk", "sent_at", "created_at", *([f"{case.name}__reference"] if case else [])]
        for row in rows.values(*values):
            reference = row.get(f"{case.name}__reference") if case else ""
            due.append(
                Due(
                    kind=OUTBOX_MESSAGES,
                    case=reference or f"{model._meta.model_name}:{row['pk']}",
                    closed_at=row["sent_at"] or row["created_at"],
                    target=(model._meta.label, row["pk"]),
                )
            )
    return due


def _outbox_purge(due: Due) -> dict:
    """Blank the address, subject and text; the row stays (its key keeps the message from being written
    again)."""
    label, pk = due.target
    model = apps.get_model(label)
    blanked = model.objects.filter(pk=pk).exclude(to="").update(to="", subject="", body="", last_error="")
    return {"emails": blanked}


def shared_kinds() -> list[RetentionKind]:
    return [
        RetentionKind(
            name=ACCESS_RECORDS,
            label=_("Access records (who looked at whose personal data)"),
            months=36,
            due=_access_due,
            purge=_access_purge,
        ),
        RetentionKind(
            name=OUTBOX_MESSAGES,
            label=_("E-mails to people without an account"),
            months=12,
            due=_outbox_due,
            purge=_outbox_purge,
        ),
    ]


def kinds() -> list[RetentionKind]:
    return [*shared_kinds(), *(kind for area in all_areas() for kind in area.retention)]


def counts_text(counts: dict) -> str:
    """{"files": 2} as "files 2", in the reader's language."""
    return ", ".join(f"{COUNT_LABELS.get(name, name)} {count}" for name, count in counts.items())


def kind_label(name: str) -> str:
    for kind in kinds():
        if kind.name == name:
            return str(kind.label)
    return name


# Rules ---------------------------------------------------------------------------------------------------


def rules_create_missing(**kwargs) -> int:
    """A RetentionRule for every kind that has none, with the kind's default months, enforced (run after
    every migrate). Existing rules are left as the office set them. Returns how many were created."""
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    existing = set(RetentionRule.objects.values_list("kind", flat=True))
    missing = [
        RetentionRule(kind=kind.name, months=kind.months) for kind in kinds() if kind.name not in existing
    ]
    RetentionRule.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def _rules() -> dict:
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    rules_create_missing()
    return {rule.kind: rule for rule in RetentionRule.objects.all()}


def rule_update(*, rule, months: int, enabled: bool, actor):
    """Change how long a kind of record is kept and whether the nightly job removes it; audited with the
    values before and after. Requires a leader or an administrator (checked by the caller's page)."""
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    with transaction.atomic():
        before = (
            RetentionRule.objects.select_for_update().filter(pk=rule.pk).values("months", "enabled").first()
        )
        rule.months, rule.enabled = months, enabled
        rule.full_clean()
        rule.save()
        record_event(
            actor=actor,
            action=RULE_ACTION,
            obj=rule,
            data={"kind": rule.kind, "before": before, "after": {"months": months, "enabled": enabled}},
        )
    return rule


# The job -------------------------------------------------------------------------------------------------


@dataclass
class KindPlan:
    kind: RetentionKind
    months: int
    enforced: bool
    cutoff: datetime
    due: list


def plan_by_kind(now=None) -> list[KindPlan]:
    """Per kind: its rule's months, whether it is enforced, the cutoff and what is due now."""
    now = now or timezone.now()
    rules = _rules()
    plans = []
    for kind in kinds():
        rule = rules.get(kind.name)
        months = rule.months if rule else kind.months
        cutoff = months_before(now, months)
        plans.append(
            KindPlan(
                kind=kind,
                months=months,
                enforced=rule.enabled if rule else True,
                cutoff=cutoff,
                due=list(kind.due(cutoff)),
            )
        )
    return plans


def plan(now=None) -> list[Due]:
    """The dry run: every record that would go now, per kind, with its case and when it closed."""
    return [item for kind_plan in plan_by_kind(now) for item in kind_plan.due]


def _purge_one(kind: RetentionKind, item: Due, actor) -> dict:
    with transaction.atomic():
        removed = {name: count for name, count in kind.purge(item).items() if count}
        if removed:
            record_event(
                actor=actor,
                action=PURGE_ACTION,
                data={"kind": kind.name, "case": item.case, "closed_at": item.closed_at, "removed": removed},
            )
    return removed


def apply(now=None, dry_run: bool = False, actor=None) -> dict:
    """Purge what is due (plan) for the enforced kinds: each record in its own transaction, with one
    `retention.purge` audit event (kind, case, when it closed, counts of what went; no personal data).
    `dry_run` removes nothing. A record that fails is logged and left for the next run. Safe to run twice:
    what is purged is no longer due.

    Returns {"dry_run", "due", "purged", "failed", "kinds": {name: {"label", "months", "enforced", "due",
    "purged", "failed", "removed": {what: count}}}}."""
    summary = {"dry_run": dry_run, "due": 0, "purged": 0, "failed": 0, "kinds": {}}
    for kind_plan in plan_by_kind(now):
        kind = kind_plan.kind
        entry = summary["kinds"][kind.name] = {
            "label": str(kind.label),
            "months": kind_plan.months,
            "enforced": kind_plan.enforced,
            "due": len(kind_plan.due),
            "purged": 0,
            "failed": 0,
            "removed": {},
        }
        summary["due"] += len(kind_plan.due)
        if dry_run or not kind_plan.enforced:
            continue
        for item in kind_plan.due:
            try:
                removed = _purge_one(kind, item, actor)
            except Exception:
                logger.exception("retention: purge failed", extra={"kind": kind.name, "case": item.case})
                entry["failed"] += 1
                continue
            if removed:
                entry["purged"] += 1
                for name, count in removed.items():
                    entry["removed"][name] = entry["removed"].get(name, 0) + count
        summary["purged"] += entry["purged"]
        summary["failed"] += entry["failed"]
    return summary


def purge_now(*, actor) -> dict:
    """The back office's "Purge now": apply() as `actor`, with one `retention.run` event for the run."""
    summary = apply(actor=actor)
    record_event(
        actor=actor,
        action=RUN_ACTION,
        data={
            "purged": summary["purged"],
            "failed": summary["failed"],
            "kinds": {name: entry["purged"] for name, entry in summary["kinds"].items() if entry["purged"]},
        },
    )
    return summary


__all__ = ["Due", "apply", "kind_label", "kinds", "months_before", "plan", "plan_by_kind", "shared_kinds"]
