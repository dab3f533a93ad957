"""Review decisions reach the representatives by email, sent by Celery and retried."""

import pytest
from celery.exceptions import Retry
from django.core import mail

from practices import services
from practices.models import Practice
from practices.tasks import practice_review_email
from tests.factories.practices import PracticeFactory
from tests.practices import flaky_backend

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(region, representative):
    return PracticeFactory(region=region, status=Practice.Status.SUBMITTED)


def test_publishing_sends_the_email_only_after_the_commit(
    submitted, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.practice_publish(practice=submitted, by=secretariat)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == [f"Published: {submitted.title}"]


def test_a_refused_email_is_retried_and_sent_once(submitted, settings):
    settings.EMAIL_BACKEND = "tests.practices.flaky_backend.FirstAttemptFailsBackend"
    flaky_backend.attempts.clear()
    # Eagerly, a retry is raised to the caller instead of being queued; the test plays
    # the broker and runs the retried task itself.
    with pytest.raises(Retry):
        practice_review_email.delay(submitted.pk, "published")
    assert mail.outbox == []
    practice_review_email.delay(submitted.pk, "published")
    assert len(flaky_backend.attempts) == 2
    assert len(mail.outbox) == 1


def test_a_failing_email_does_not_undo_the_decision(
    submitted, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.practices.flaky_backend.FirstAttemptFailsBackend"
    flaky_backend.attempts.clear()
    with pytest.raises(Retry), django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice=submitted, by=secretariat)
    submitted.refresh_from_db()
    assert submitted.status == Practice.Status.PUBLISHED


def test_the_email_of_a_practice_deleted_meanwhile_is_skipped(submitted):
    practice_id = submitted.pk
    submitted.delete()
    practice_review_email.delay(practice_id, "returned")
    assert mail.outbox == []
