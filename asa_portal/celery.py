"""The Celery app: tasks are discovered in each app's tasks.py."""

import os
from collections.abc import Iterable
from pathlib import Path

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "asa_portal.settings")

app = Celery("asa_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

#: The transport options of kombu's filesystem transport that name a folder.
FILESYSTEM_BROKER_FOLDERS = (
    "data_folder_in",
    "data_folder_out",
    "processed_folder",
    "control_folder",
)


def filesystem_broker_folders(broker_url: str | None, options: dict | None) -> list[Path]:
    """The folders the filesystem broker (the no-server default) reads and writes; none
    for any other broker."""
    if not (broker_url or "").startswith("filesystem://"):
        return []
    options = options or {}
    return [Path(options[key]) for key in FILESYSTEM_BROKER_FOLDERS if options.get(key)]


def ensure_folders(folders: Iterable[Path]) -> None:
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_filesystem_broker(sender: Celery, source, **kwargs) -> None:
    """Creates the filesystem broker's folders as soon as any process (web, a command, a
    shell, the worker or beat) reads the Celery configuration, so that the first task it
    queues finds them: kombu creates none of them itself."""
    ensure_folders(filesystem_broker_folders(source.broker_url, source.broker_transport_options))


@app.task(name="asa_portal.ping", ignore_result=False)
def ping() -> str:
    """Answers 'pong': lets tests and operators see a worker run a task end to end."""
    return "pong"


@task_failure.connect
def _report_failed_task(sender=None, task_id=None, exception=None, einfo=None, **kwargs):
    """Any task run that ends with an exception (an unexpected one, or the last of its
    retries) is mailed to ADMINS, as Django mails a 500; Sentry's Celery integration
    reports it there when SENTRY_DSN is set."""
    from asa_portal.errors import task_failed

    task_failed(
        name=getattr(sender, "name", str(sender)),
        task_id=task_id,
        exception=exception,
        traceback=str(einfo or ""),
    )
