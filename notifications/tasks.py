"""Celery tasks of the outbox: they take ids and call one service each."""

from celery import shared_task

from notifications import services


@shared_task(acks_late=True, ignore_result=True)
def notifications_send(notification_ids: list[int]) -> dict[str, int]:
    """Sends a batch of outbox rows over one connection. Idempotent: rows already sent,
    claimed by another worker or gone are left alone; refused ones come back through the
    sweep after a growing delay (never as ETA tasks, which Redis redelivers)."""
    return services.notifications_deliver(ids=notification_ids)


@shared_task(acks_late=True, ignore_result=True)
def notifications_sweep() -> int:
    """Beat, every minute: hands due reminders, retries and lost rows to the workers."""
    return services.notifications_sweep()
