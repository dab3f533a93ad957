"""Errors reach someone: each 500 and each failing Celery task run sends one error email
to ADMINS, from SERVER_EMAIL, through Django's backend (never the outbox), whatever DEBUG
says; with SENTRY_DSN set, Sentry gets them too. A real worker does the same in
test_errors_worker.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from celery import shared_task
from django.core import mail
from sentry_sdk.transport import Transport

from asa_portal import errors
from asa_portal.celery import app
from notifications import services
from notifications.models import Notification
from notifications.tasks import notifications_send

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ADMINS = [("Ops", "ops@example.org"), ("Doe, Jane", "jane@example.org")]


@pytest.fixture(autouse=True)
def _admins(settings):
    settings.ADMINS = ADMINS
    settings.SERVER_EMAIL = "Portal errors <errors@example.org>"
    settings.ROOT_URLCONF = "tests.core.urls_failing"


@pytest.fixture
def tasks_fail_as_in_a_worker():
    """The test run's eager tasks raise into the test that queued them; a worker instead
    records the failure (and Celery sends task_failure), as here."""
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    return client


@shared_task(bind=True, max_retries=2, default_retry_delay=0)
def always_refused(self):
    raise self.retry(exc=ConnectionError("The service refused again."))


# -- A 500 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_500_sends_one_error_email_to_the_admins_addresses(failing_client, settings, debug):
    settings.DEBUG = debug
    response = failing_client.get("/fail/")
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ops@example.org", "jane@example.org"]
    assert email.from_email == "Portal errors <errors@example.org>"
    assert email.subject == "[ASA Portal] ERROR (EXTERNAL IP): Internal Server Error: /fail/"
    assert "RuntimeError at /fail/\nThe page failed on purpose." in email.body


def test_the_error_email_hides_the_passwords_in_the_broker_cache_and_sentry_addresses(
    failing_client, settings
):
    settings.CELERY_BROKER_URL = "redis://:broker-secret@queue.example.org:6379/0"
    settings.CELERY_RESULT_BACKEND = "redis://:results-secret@queue.example.org:6379/2"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "redis://:cache-secret@cache.example.org:6379/1",
        }
    }
    settings.SENTRY_DSN = "https://sentry-key@sentry.example.org/7"
    failing_client.get("/fail/")
    body = mail.outbox[0].body
    assert "CELERY_BROKER_URL = '********************'" in body
    for secret in ("broker-secret", "results-secret", "cache-secret", "sentry-key"):
        assert secret not in body


def test_a_500_is_not_an_outbox_row(failing_client):
    failing_client.get("/fail/")
    assert Notification.objects.count() == 0


def test_without_admins_a_500_mails_nobody(failing_client, settings):
    settings.ADMINS = []
    assert failing_client.get("/fail/").status_code == 500
    assert mail.outbox == []


def test_the_same_500_again_within_the_interval_is_not_mailed_again(failing_client, settings):
    settings.ERROR_EMAIL_INTERVAL_MINUTES = 10
    for _ in range(3):
        assert failing_client.get("/fail/").status_code == 500
    assert len(mail.outbox) == 1


def test_another_error_is_mailed_within_the_interval_of_the_first(failing_client, settings):
    settings.ERROR_EMAIL_INTERVAL_MINUTES = 10
    failing_client.get("/fail/")
    failing_client.get("/fail-otherwise/")
    assert [email.subject for email in mail.outbox] == [
        "[ASA Portal] ERROR (EXTERNAL IP): Internal Server Error: /fail/",
        "[ASA Portal] ERROR (EXTERNAL IP): Internal Server Error: /fail-otherwise/",
    ]


def test_the_same_500_is_mailed_again_once_the_interval_has_passed(
    failing_client, settings, time_machine
):
    settings.ERROR_EMAIL_INTERVAL_MINUTES = 10
    time_machine.move_to("2026-12-07 10:00:00Z", tick=False)
    failing_client.get("/fail/")
    time_machine.move_to("2026-12-07 10:09:00Z", tick=False)
    failing_client.get("/fail/")
    time_machine.move_to("2026-12-07 10:10:01Z", tick=False)
    failing_client.get("/fail/")
    assert len(mail.outbox) == 2


def test_with_an_interval_of_zero_every_500_is_mailed(failing_client, settings):
    settings.ERROR_EMAIL_INTERVAL_MINUTES = 0
    failing_client.get("/fail/")
    failing_client.get("/fail/")
    assert len(mail.outbox) == 2


def test_a_cache_that_is_down_lets_every_error_email_through(failing_client, settings):
    settings.ERROR_EMAIL_INTERVAL_MINUTES = 10
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    failing_client.get("/fail/")
    failing_client.get("/fail/")
    assert len(mail.outbox) == 2


def test_a_503_that_healthz_answers_on_purpose_mails_nobody(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert client.get("/healthz").status_code == 503
    assert mail.outbox == []


def test_a_page_that_works_mails_nobody(client, member):
    client.force_login(member)
    assert client.get("/me/").status_code == 200
    assert mail.outbox == []


# -- A failing task --------------------------------------------------------------------------


def test_a_task_that_raises_sends_one_error_email_to_the_admins(
    tasks_fail_as_in_a_worker, monkeypatch
):
    def broken(*, ids):
        raise RuntimeError("The composer broke.")

    monkeypatch.setattr(services, "notifications_deliver", broken)
    notifications_send.delay([7001, 7002])
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ops@example.org", "jane@example.org"]
    assert email.from_email == "Portal errors <errors@example.org>"
    assert email.subject == (
        "[ASA Portal] Task notifications.tasks.notifications_send failed: "
        "RuntimeError: The composer broke."
    )
    assert "RuntimeError: The composer broke." in email.body
    assert 'raise RuntimeError("The composer broke.")' in email.body


def test_a_task_whose_retries_are_spent_sends_one_error_email(tasks_fail_as_in_a_worker):
    always_refused.delay()
    assert [email.subject for email in mail.outbox] == [
        "[ASA Portal] Task tests.core.test_errors.always_refused failed: "
        "ConnectionError: The service refused again."
    ]


def test_a_task_failing_the_same_way_again_within_the_interval_is_mailed_once(
    tasks_fail_as_in_a_worker, monkeypatch, settings
):
    settings.ERROR_EMAIL_INTERVAL_MINUTES = 10

    def broken(*, ids):
        raise RuntimeError("The composer broke.")

    monkeypatch.setattr(services, "notifications_deliver", broken)
    notifications_send.delay([7001])
    notifications_send.delay([7002])
    always_refused.delay()
    assert [email.subject for email in mail.outbox] == [
        "[ASA Portal] Task notifications.tasks.notifications_send failed: "
        "RuntimeError: The composer broke.",
        "[ASA Portal] Task tests.core.test_errors.always_refused failed: "
        "ConnectionError: The service refused again.",
    ]


def test_a_task_that_succeeds_mails_nobody(tasks_fail_as_in_a_worker):
    notifications_send.delay([7001])
    assert mail.outbox == []


def test_the_error_email_of_the_email_task_is_sent_directly_not_queued(
    tasks_fail_as_in_a_worker, monkeypatch, settings
):
    def broken(*, ids):
        raise RuntimeError("The composer broke.")

    monkeypatch.setattr(services, "notifications_deliver", broken)
    queued = []
    monkeypatch.setattr(notifications_send, "apply_async", lambda *a, **k: queued.append(a))
    notifications_send.apply(args=[[7001]])
    assert len(mail.outbox) == 1
    assert queued == []
    assert Notification.objects.count() == 0


def test_a_mail_server_that_refuses_the_error_email_raises_nothing_more(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    errors.task_failed(
        name="notifications.tasks.notifications_send",
        task_id="b9c1",
        exception=RuntimeError("The composer broke."),
        traceback="Traceback (most recent call last): …",
    )


# -- Sentry ----------------------------------------------------------------------------------


class Captured(Transport):
    """Keeps the events instead of sending them anywhere."""

    def __init__(self, options=None):
        super().__init__(options)
        self.events: list[dict] = []

    def capture_envelope(self, envelope) -> None:
        self.events += [item.payload.json for item in envelope.items if item.type == "event"]


@pytest.fixture
def sentry():
    transport = Captured()
    errors.sentry_start("https://public@sentry.example.org/7", transport=transport)
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.init()


def exception_of(event: dict) -> tuple[str, str]:
    last = event["exception"]["values"][-1]
    return last["type"], last["value"]


def test_with_sentry_a_500_reaches_it_without_the_person(failing_client, sentry, member):
    failing_client.force_login(member)
    failing_client.get("/fail/")
    sentry_sdk.flush()
    assert [exception_of(event) for event in sentry.events] == [
        ("RuntimeError", "The page failed on purpose.")
    ]
    assert "member@example.org" not in json.dumps(sentry.events)


def test_with_sentry_a_failing_task_reaches_it(tasks_fail_as_in_a_worker, sentry, monkeypatch):
    def broken(*, ids):
        raise RuntimeError("The composer broke.")

    monkeypatch.setattr(services, "notifications_deliver", broken)
    notifications_send.delay([7001])
    sentry_sdk.flush()
    assert ("RuntimeError", "The composer broke.") in [
        exception_of(event) for event in sentry.events
    ]
    assert len(mail.outbox) == 1


def settings_in_a_process(variables: dict[str, str]) -> dict:
    code = (
        "import json, sentry_sdk, asa_portal.settings\n"
        "client = sentry_sdk.get_client()\n"
        "print(json.dumps({'dsn': client.dsn, 'integrations': sorted(client.integrations)}))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**environment, **variables},
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_the_settings_start_sentry_with_django_and_celery_when_sentry_dsn_is_set():
    reported = settings_in_a_process({"SENTRY_DSN": "https://public@sentry.example.org/7"})
    assert reported["dsn"] == "https://public@sentry.example.org/7"
    assert {"django", "celery"} <= set(reported["integrations"])


def test_without_sentry_dsn_nothing_goes_to_sentry():
    assert settings_in_a_process({})["dsn"] is None


# -- ADMINS as the environment gives it ----------------------------------------------------------


def test_admins_are_read_as_names_and_addresses_a_quoted_name_keeping_its_comma():
    assert errors.parse_admins('Ops <ops@example.org>, "Doe, Jane" <jane@example.org>') == [
        ("Ops", "ops@example.org"),
        ("Doe, Jane", "jane@example.org"),
    ]


def test_an_admins_entry_that_is_not_an_address_stops_start_up():
    with pytest.raises(Exception, match="ADMINS must be 'Name <address>'"):
        errors.parse_admins("Ops <ops@example.org>, Jane")
