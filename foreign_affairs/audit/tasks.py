import logging

from celery import shared_task

from .selectors import verify_chain
from .services import checkpoint_write

logger = logging.getLogger(__name__)


@shared_task(name="audit.verify_chain", acks_late=True)
def verify_chain_task() -> bool:
    """Beat job (nightly): walk the audit chain, compare the checkpoints, and log an error naming the
    first broken link and each checkpoint that no longer matches."""
    report = verify_chain()
    if not report.chain_ok:
        logger.error(
            "audit chain broken",
            extra={"event": report.broken_at, "reason": report.reason, "checked": report.checked},
        )
    for problem in report.checkpoints.problems[:20]:  # a rewrite fails every later checkpoint too
        logger.error("audit checkpoint does not match", extra={"reason": problem})
    if len(report.checkpoints.problems) > 20:
        logger.error("audit checkpoints do not match", extra={"count": len(report.checkpoints.problems)})
    return report.ok


@shared_task(name="audit.write_checkpoint", acks_late=True)
def write_checkpoint_task() -> int | None:
    """Beat job (hourly): sign the newest event's id and hash and write them outside the database (the
    checkpoint file and the log). Safe to run twice: an unchanged head adds no line. Returns the event id."""
    checkpoint = checkpoint_write()
    return checkpoint.event_id if checkpoint else None
