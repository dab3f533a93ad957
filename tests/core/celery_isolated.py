"""The portal's Celery app, for a worker started by a test: every Redis key it reads or
writes (queues, bindings, results) starts with TEST_KEY_PREFIX, so that it never touches
what another test run or a running portal keeps in the same Redis database."""

import os

from asa_portal.celery import app

prefix = os.environ["TEST_KEY_PREFIX"]
app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    "global_keyprefix": prefix,
}
app.conf.result_backend_transport_options = {"global_keyprefix": prefix}
