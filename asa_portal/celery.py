"""The Celery app: tasks are discovered in each app's tasks.py."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import after_setup_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asa_portal.settings")

app = Celery("asa_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The filesystem broker (the no-server default) needs its folders to exist."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@after_setup_logger.connect
def _prepare_broker(**kwargs) -> None:
    ensure_broker_folders()


@app.task(name="asa_portal.ping", ignore_result=False)
def ping() -> str:
    """Answers 'pong': lets tests and operators see a worker run a task end to end."""
    return "pong"
