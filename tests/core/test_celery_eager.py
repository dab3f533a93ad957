"""In tests, tasks run at once in the test process (tests/conftest.py), and a task that
raises fails the test that queued it instead of vanishing."""

import pytest
from django.db import transaction

from asa_portal.celery import app


class Exploded(Exception):
    pass


@app.task(name="tests.explode")
def explode() -> None:
    raise Exploded("a task failed")


def test_a_task_that_raises_fails_the_test_that_queued_it():
    with pytest.raises(Exploded):
        explode.delay()


@pytest.mark.django_db
def test_a_task_queued_on_commit_raises_in_the_test_too(django_capture_on_commit_callbacks):
    with pytest.raises(Exploded), django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(explode.delay)
