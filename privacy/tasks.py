"""Celery tasks of privacy/: they call one service each."""

from celery import shared_task

from privacy import services


@shared_task(acks_late=True, ignore_result=True)
def old_data_remove() -> dict[str, int]:
    """Beat, every night: removes what is kept no longer than its period. Idempotent."""
    return services.old_data_remove()
