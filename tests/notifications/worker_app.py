"""The portal's Celery app for a worker that a fault test starts and kills: the same tasks
and settings, but the lease on claimed rows lasts TEST_LEASE_SECONDS, so that the rows of
a killed worker come back within the test instead of after ten minutes."""

import datetime as dt
import os

import django

from asa_portal.celery import app

django.setup()

from notifications import services  # noqa: E402 (needs the apps loaded)

services.LEASE = dt.timedelta(seconds=float(os.environ["TEST_LEASE_SECONDS"]))

__all__ = ["app"]
