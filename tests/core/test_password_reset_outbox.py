"""The password reset email goes through the outbox: the request saves a row and returns,
a worker renders the email (its link made then, never stored) and sends it."""

import datetime as dt
import re
import socket
import time

import pytest
import time_machine
from django.core import mail

from notifications.models import Notification
from notifications.services import notifications_deliver
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

RESET = Notification.Kind.PASSWORD_RESET


@pytest.fixture
def hung_smtp(settings):
    """A mail server that accepts the connection and then never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = listener.getsockname()[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 3
    yield listener
    listener.close()


@pytest.fixture
def marta(db):
    return UserFactory(email="marta@example.org", first_name="Marta", language="en")


@pytest.fixture
def jonas(db):
    return UserFactory(email="jonas@example.org", first_name="Jonas", language="de")


def ask(client, email, *, address="10.0.0.1"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_with_the_mail_server_hung_a_reset_request_returns_at_once_and_leaves_a_queued_row(
    client, marta, jonas, hung_smtp, django_capture_on_commit_callbacks
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=False) as handed_on:
        response = ask(client, "marta@example.org")
    assert time.monotonic() - started < 2  # EMAIL_TIMEOUT is 3 s
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    (row,) = Notification.objects.all()
    assert (row.person, row.kind, row.status) == (marta, RESET, "queued")
    assert row.meeting is None and row.practice is None
    assert row.details == {}  # no token kept
    assert len(handed_on) == 1  # the hand-off to a worker, after the commit


def test_the_workers_send_delivers_an_email_whose_link_sets_a_new_password(
    client, marta, jonas, settings
):
    settings.SITE_URL = "https://portal.example.org"
    ask(client, "marta@example.org")
    (row,) = Notification.objects.filter(kind=RESET)
    assert mail.outbox == []  # nothing sent in the request
    assert notifications_deliver(ids=[row.pk])["sent"] == 1
    (message,) = mail.outbox
    assert message.to == ["marta@example.org"]
    assert message.subject == "Your ASA Portal password"
    assert message.body.startswith("Hello Marta,")
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    assert "Hello Marta," in html
    link = re.search(r"https://portal\.example\.org(/accounts/reset/\S+/)", message.body)[1]
    assert f'href="https://portal.example.org{link}"' in html
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another long passphrase", "new_password2": "another long passphrase"},
    )
    marta.refresh_from_db()
    jonas.refresh_from_db()
    assert marta.check_password("another long passphrase")
    assert not jonas.check_password("another long passphrase")
    row.refresh_from_db()
    assert row.status == "sent"
    assert link.split("/")[-2] not in str(row.details) + row.last_error


def test_the_email_is_in_the_persons_language_with_both_parts(client, marta, jonas):
    ask(client, "jonas@example.org", address="10.0.0.2")
    notifications_deliver(ids=list(Notification.objects.values_list("pk", flat=True)))
    (message,) = mail.outbox
    assert message.to == ["jonas@example.org"]
    assert message.subject == "Ihr Passwort für das ASA-Portal"
    assert message.body.startswith("Guten Tag Jonas,")
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    assert '<html lang="de">' in html
    assert "Guten Tag Jonas," in html


def test_an_unknown_address_makes_no_row_and_shows_the_same_page(client, marta):
    known = ask(client, "marta@example.org", address="10.0.0.1")
    unknown = ask(client, "nobody@example.org", address="10.0.0.2")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert list(Notification.objects.values_list("person__email", flat=True)) == [
        "marta@example.org"
    ]


def test_a_person_who_cannot_sign_in_gets_no_row(client, marta):
    UserFactory(email="closed@example.org", is_active=False)
    ask(client, "closed@example.org")
    assert not Notification.objects.exists()


def test_each_request_is_a_new_email(client, marta):
    for _ in range(3):
        ask(client, "marta@example.org")
    assert sorted(Notification.objects.values_list("revision", flat=True)) == [1, 2, 3]


def test_three_requests_for_an_address_make_three_rows_with_other_people_and_clients_about(
    client, marta, jonas
):
    for _ in range(3):
        assert ask(client, "marta@example.org", address="10.0.0.1").status_code == 302
    assert ask(client, "jonas@example.org", address="10.0.0.2").status_code == 302
    assert ask(client, "marta@example.org", address="10.0.0.2").status_code == 429
    assert ask(client, "Marta@Example.org", address="10.0.0.3").status_code == 429
    assert ask(client, "jonas@example.org", address="10.0.0.1").status_code == 302
    rows = Notification.objects.filter(kind=RESET)
    assert rows.filter(person=marta).count() == 3
    assert rows.filter(person=jonas).count() == 2


def test_a_request_older_than_the_reset_timeout_is_not_sent(client, marta, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    ask(client, "marta@example.org")
    (row,) = Notification.objects.all()
    with time_machine.travel(dt.timedelta(hours=2)):
        assert notifications_deliver(ids=[row.pk])["skipped"] == 1
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == "skipped"
