"""Dependency checks behind /healthz."""

import logging

from django.conf import settings
from django.db import connection
from kombu import Connection

logger = logging.getLogger(__name__)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down", and says why
        logger.warning("Health check: database unavailable: %s", error)
        return f"error: {error.__class__.__name__}"
    return "ok"


def check_broker() -> str:
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=2,
        ) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as error:  # refused, timed out, bad credentials: all "down"
        logger.warning("Health check: broker unavailable: %s", error)
        return f"error: {error.__class__.__name__}"
    return "ok"


def check_all() -> dict[str, str]:
    return {"database": check_database(), "broker": check_broker()}
