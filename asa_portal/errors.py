"""Errors that reach someone: Django's error emails to ADMINS (a 500, a failing Celery
task) and, when SENTRY_DSN is set, Sentry.

The error emails go through Django's email backend directly (mail_admins), never through
the outbox: an error about a failing email task cannot queue another email task, and a
mail server that is down costs the report, not a loop. The same error (the same exception
raised at the same line, or the same task failing the same way) is mailed once in
ERROR_EMAIL_INTERVAL_MINUTES: a page that fails for every visitor, or a task that fails
every minute, sends one email, not one per visit or run (README.md, Errors).
"""

from __future__ import annotations

import hashlib
import logging
import re
from email.utils import getaddresses

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import mail_admins
from django.core.validators import validate_email
from django.views.debug import SafeExceptionReporterFilter


def parse_admins(raw: str) -> list[tuple[str, str]]:
    """`Name <address>, Other Name <address>` as Django's ADMINS: (name, address) pairs.
    A name may hold a comma when quoted; an address that is not one stops start-up."""
    if not raw.strip():
        return []
    admins = []
    for name, address in getaddresses([raw]):
        try:
            validate_email(address)
        except ValidationError:
            raise ImproperlyConfigured(
                f"ADMINS must be 'Name <address>', comma-separated; {address!r} in {raw!r} "
                "is not an email address."
            ) from None
        admins.append((name, address))
    return admins


def sentry_start(dsn: str, **options) -> None:
    """Reports unhandled errors of requests and Celery tasks to Sentry. No personal data
    (addresses, cookies, the person signed in) is sent with them."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        **options,
    )


def first_in_a_while(*parts: object) -> bool:
    """Whether the error these parts name was not mailed within the last
    ERROR_EMAIL_INTERVAL_MINUTES (0: mail every time). The cache is shared by every
    process, so a bug hit by all web processes and workers mails once. A cache that is
    down lets the email through: an extra email is better than a lost one."""
    minutes = settings.ERROR_EMAIL_INTERVAL_MINUTES
    if minutes <= 0:
        return True
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    try:
        return bool(cache.add(f"error-email:{digest}", 1, timeout=minutes * 60))
    except Exception:  # noqa: BLE001 -- whatever the cache raises, the report goes
        return True


def task_failed(*, name: str, task_id: str, exception: BaseException, traceback: str) -> None:
    """Mails ADMINS (nobody while it is empty) that a task run ended with an exception,
    once in a while for the same task failing the same way."""
    if not first_in_a_while("task", name, exception.__class__.__qualname__):
        return
    subject = f"Task {name} failed: {exception.__class__.__name__}: {exception}"
    message = f"Task {name} (id {task_id}) failed.\n\n{traceback}"
    # fail_silently: a mail server that refuses must not fail the worker's report too.
    mail_admins(subject.splitlines()[0][:200], message, fail_silently=True)


class ReporterFilter(SafeExceptionReporterFilter):
    """Django's, also hiding the settings that are addresses with a password in them (the
    broker, the results, the cache's LOCATION, Sentry's DSN), which an error email lists
    with every other setting. Django already hides keys, secrets and passwords by name."""

    hidden_settings = re.compile(
        SafeExceptionReporterFilter.hidden_settings.pattern
        + "|BROKER_URL|RESULT_BACKEND|LOCATION|DSN",
        flags=re.IGNORECASE,
    )


class RaisedOnly(logging.Filter):
    """Passes only records of an exception. Django logs every 5xx answer as an error, also
    those a view gives on purpose: /healthz's 503 during an outage, asked for every few
    seconds by a load balancer, would each be an error email."""

    def filter(self, record: logging.LogRecord) -> bool:
        return bool(record.exc_info)


class OnceInAWhile(logging.Filter):
    """Passes an exception's record only when the same exception class raised at the same
    place (the innermost frame's file and line) was not mailed within the interval: one
    bug failing every visitor's page is one email, not one per visit."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.exc_info[1] is None:
            return True
        exc_type, _, tb = record.exc_info
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = (tb.tb_frame.f_code.co_filename, tb.tb_lineno) if tb is not None else ()
        return first_in_a_while("request", exc_type.__qualname__, *where)
