import logging
import smtplib

from celery import shared_task

from practices import services
from practices.models import Practice

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=10,
    acks_late=True,
)
def practice_review_email(practice_id: int, kind: str) -> None:
    """Tells the region's representatives that their practice was published or returned.

    Takes an id: a practice deleted meanwhile is skipped quietly. A refused or broken
    mail connection is retried with a growing delay; Celery logs each attempt.
    """
    practice = Practice.objects.select_related("region", "created_by").filter(pk=practice_id)
    practice = practice.first()
    if practice is None:
        logger.info("Practice %s is gone; no %s email.", practice_id, kind)
        return
    services.practice_review_email_send(practice=practice, kind=kind)
