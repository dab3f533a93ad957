"""Celery tasks of inbound/: they take ids and call one service each."""

from celery import shared_task

from inbound import services


@shared_task(acks_late=True, ignore_result=True)
def inbound_forward(message_id: int) -> bool:
    """Passes a kept message on to the secretariat. Idempotent: sent at most once."""
    return services.inbound_forward(message_id=message_id)
