"""The portal's Celery app, settings and signals, with two tasks that fail: for a worker
that tests/core/test_errors_worker.py starts."""

from asa_portal.celery import app


@app.task(name="tests.fails")
def fails() -> None:
    raise RuntimeError("The task failed on purpose.")


@app.task(name="tests.refused", bind=True, max_retries=2, default_retry_delay=0)
def refused(self) -> None:
    raise self.retry(exc=ConnectionError("The service refused again."))


__all__ = ["app"]
