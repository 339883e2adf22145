import logging

from celery import shared_task

from .selectors import verify_chain

logger = logging.getLogger(__name__)


@shared_task(name="audit.verify_chain", acks_late=True)
def verify_chain_task() -> bool:
    """Beat job (nightly): walk the audit chain and log an error naming the first broken link."""
    report = verify_chain()
    if not report.ok:
        logger.error(
            "audit chain broken",
            extra={"event": report.broken_at, "reason": report.reason, "checked": report.checked},
        )
    return report.ok
