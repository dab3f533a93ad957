"""What the portal keeps about people, and for how long: the daily removal of what is no
longer needed.

Each app that keeps such data says what it removes and when, in a `remove_old_data(now)`
method of its AppConfig (accounts: expired sessions and sign-in attempts; notifications:
old outbox rows; inbound: the raw bytes of old emails received). This app asks every
installed app for it instead of importing them: nothing may import inbound, and the
outbox imports no other app.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.apps import apps
from django.utils import timezone

logger = logging.getLogger(__name__)


def old_data_remove(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Removes, in every app, what has been kept for its period (the RETENTION_*
    settings). Safe to run again: what is gone stays gone, the rest is untouched. Returns
    how many rows each step removed or emptied, by what they are."""
    now = now or timezone.now()
    removed: dict[str, int] = {}
    for config in apps.get_app_configs():
        remove = getattr(config, "remove_old_data", None)
        if remove is not None:
            removed.update(remove(now))
    logger.info("Old data removed: %s", removed)
    return removed
