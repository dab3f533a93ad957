"""Dependency checks behind /healthz: the database, the cache, the broker, and what the
apps add (the outbox: the beat's last sweep, the oldest email due)."""

import datetime as dt
import logging
import tempfile
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from kombu import Connection

from asa_portal.celery import app, filesystem_broker_folders

logger = logging.getLogger(__name__)

# Checks that read the database, by name, each given the time of the request and
# answering "ok" or "error: …": the apps that own what they read add them from their
# AppConfig.ready() (the outbox adds "beat" and "outbox"), so the project imports none of
# them.
DATABASE_CHECKS: dict[str, Callable[[dt.datetime], str]] = {}


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "down", and says why
        logger.warning("Health check: database unavailable: %s", error)
        return f"error: {error.__class__.__name__}"
    return "ok"


def check_cache() -> str:
    """The cache is up when it keeps a value and gives it back. Redis's cache answers as
    an empty cache while Redis is away (asa_portal/redis_cache.py, which logs that once),
    so "not kept" is how that shows here."""
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", 10)
        kept = cache.get(key)
        cache.delete(key)
    except Exception as error:  # a folder that takes no file, say
        logger.warning("Health check: cache unavailable: %s", error)
        return f"error: {error.__class__.__name__}"
    return "ok" if kept == "ok" else "error: unavailable"


def check_filesystem_broker() -> str | None:
    """The filesystem broker is up when each of its folders exists and takes a file; a
    message queued into a missing folder is lost. None for any other broker."""
    # Read through the Celery app, as queuing does: its first read makes the folders, so a
    # web process that has not queued anything yet is not reported down for that.
    folders = filesystem_broker_folders(app.conf.broker_url, app.conf.broker_transport_options)
    for folder in folders:
        if not folder.is_dir():
            logger.warning("Health check: the broker folder %s is missing.", folder)
            return "error: a broker folder is missing"
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            logger.warning("Health check: the broker folder %s is not writable: %s", folder, error)
            return "error: a broker folder is not writable"
    return "ok" if folders else None


def check_broker() -> str:
    filesystem = check_filesystem_broker()
    if filesystem is not None:
        return filesystem
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


def check_with_database(name: str, check: Callable[[dt.datetime], str], now) -> str:
    try:
        return check(now)
    except Exception as error:  # a missing table, a lost connection: "down", and says why
        logger.warning("Health check: %s could not be read: %s", name, error)
        return f"error: {error.__class__.__name__}"


def check_all() -> dict[str, str]:
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    now = timezone.now()
    for name, check in DATABASE_CHECKS.items():
        # Without the database they cannot tell; it is named already, and each would
        # wait for its own connection timeout.
        if checks["database"] != "ok":
            checks[name] = "unknown: the database is unavailable"
        else:
            checks[name] = check_with_database(name, check, now)
    return checks
