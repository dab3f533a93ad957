"""Review decisions reach the representatives by email, through the outbox: one row per
person and decision, sent after the commit, once."""

import html5lib
import pytest
from django.core import mail

from notifications.models import Notification
from notifications.services import notifications_deliver
from practices import services
from practices.models import Practice
from tests.factories.accounts import SecretariatFactory
from tests.factories.practices import PracticeFactory
from tests.practices import flaky_backend

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(region, representative):
    return PracticeFactory(region=region, status=Practice.Status.SUBMITTED)


def test_publishing_sends_the_email_only_after_the_commit(
    submitted, secretariat, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.practice_publish(practice=submitted, by=secretariat)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == [f"Published: {submitted.title}"]
    assert mail.outbox[0].to == [representative.email]
    row = Notification.objects.get(practice=submitted)
    assert (row.kind, row.status, row.details) == (
        "practice_review",
        "sent",
        {"decision": "published"},
    )


def test_a_refused_email_stays_queued_and_is_sent_once_later(submitted, settings):
    settings.EMAIL_BACKEND = "tests.practices.flaky_backend.FirstAttemptFailsBackend"
    flaky_backend.attempts.clear()
    services._notify(submitted, "published")
    row = Notification.objects.get()
    assert notifications_deliver(ids=[row.pk])["retry"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1)
    assert "421" in row.last_error
    Notification.objects.filter(pk=row.pk).update(due_at=row.created_at)
    assert notifications_deliver(ids=[row.pk])["sent"] == 1
    assert notifications_deliver(ids=[row.pk])["sent"] == 0
    assert len(mail.outbox) == 1


def test_a_failing_email_does_not_undo_the_decision(
    submitted, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.practices.flaky_backend.FirstAttemptFailsBackend"
    flaky_backend.attempts.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice=submitted, by=secretariat)
    submitted.refresh_from_db()
    assert submitted.status == Practice.Status.PUBLISHED
    assert Notification.objects.get().status == "queued"


def test_returning_twice_sends_one_email_per_decision(
    submitted, secretariat, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(practice=submitted, by=secretariat, comment="Add results.")
    submitted.status = Practice.Status.SUBMITTED
    submitted.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(practice=submitted, by=secretariat, comment="Shorter.")
    assert [m.subject for m in mail.outbox] == [f"Returned for changes: {submitted.title}"] * 2
    assert list(Notification.objects.order_by("revision").values_list("revision", flat=True)) == [
        0,
        1,
    ]


def test_the_email_of_a_practice_deleted_meanwhile_is_not_sent(submitted):
    services._notify(submitted, "returned")
    submitted.delete()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_return_email_sent_after_the_practice_was_published_keeps_its_comment(
    submitted, secretariat, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the worker is late
        services.practice_return(practice=submitted, by=secretariat, comment="Add the <costs>.")
    services.practice_submit(practice=submitted, by=representative)
    with django_capture_on_commit_callbacks(execute=False):
        services.practice_publish(practice=submitted, by=secretariat)
    returned = Notification.objects.get(practice=submitted, details__decision="returned")
    notifications_deliver(ids=[returned.pk])
    (email,) = mail.outbox
    assert "\nAdd the <costs>.\n" in email.body
    assert "Add the &lt;costs&gt;." in email.alternatives[0][0]


@pytest.mark.parametrize(
    ("decide", "expected"),
    [
        ("publish", "best practice “Dual training in Stuttgart”. Everyone can now read"),
        ("return", "best practice “Dual training in Stuttgart” for changes."),
    ],
)
def test_the_decision_quotes_the_title_as_every_other_email_does(
    region, representative, secretariat, decide, expected
):
    practice = PracticeFactory(
        region=region, status=Practice.Status.SUBMITTED, title="Dual training in Stuttgart"
    )
    if decide == "publish":
        services.practice_publish(practice=practice, by=secretariat)
    else:
        services.practice_return(practice=practice, by=secretariat, comment="Add the costs.")
    row = Notification.objects.get(practice=practice, kind="practice_review")
    notifications_deliver(ids=[row.pk])
    (email,) = mail.outbox
    assert expected in " ".join(email.body.split())
    assert expected in " ".join(email.alternatives[0][0].split())


MAILBOX = "secretariat@asa.example.org"


@pytest.fixture
def mailbox(settings):
    settings.SECRETARIAT_EMAIL = MAILBOX
    settings.INBOUND_FORWARD_TO = ""
    return MAILBOX


def test_a_submission_is_one_email_to_the_secretariats_mailbox_with_a_link_to_the_review(
    region, representative, mailbox, django_capture_on_commit_callbacks
):
    for name in ("ana", "ben"):
        SecretariatFactory(email=f"{name}@asa.example.org")
    practice = PracticeFactory(region=region, title="Battery skills", status=Practice.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice=practice, by=representative)
    assert [email.to for email in mail.outbox] == [["secretariat@asa.example.org"]]
    assert mail.outbox[0].subject == "To review: Battery skills (Stuttgart)"
    link = f"/admin/practices/practicereview/{practice.pk}/change/"
    assert link in mail.outbox[0].body
    row = Notification.objects.get(practice=practice)
    assert (row.person, row.address, row.status) == (None, MAILBOX, "sent")


def test_the_submission_is_signed_by_the_portal_not_by_the_secretariat_it_goes_to(
    region, representative, mailbox, django_capture_on_commit_callbacks
):
    practice = PracticeFactory(region=region, title="Battery skills", status=Practice.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice=practice, by=representative)
    (email,) = mail.outbox
    assert "\n-- \nASA Portal\n" in email.body
    assert "The ASA secretariat\n" not in email.body
    document = html5lib.parse(email.alternatives[0][0], namespaceHTMLElements=False)
    (signature,) = [p for p in document.iter("p") if p.get("class") == "signature"]
    assert signature.text == "ASA Portal"


def test_a_decision_is_still_signed_by_the_secretariat(
    submitted, secretariat, representative, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice=submitted, by=secretariat)
    (email,) = mail.outbox
    assert "\n-- \nThe ASA secretariat\n" in email.body


def test_the_submission_goes_to_inbound_forward_to_when_the_secretariat_address_is_the_portals(
    region, representative, settings, django_capture_on_commit_callbacks
):
    settings.SECRETARIAT_EMAIL = "portal-inbox@asa.example.org"
    settings.INBOUND_FORWARD_TO = "team@asa.example.org"
    practice = PracticeFactory(region=region, status=Practice.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice=practice, by=representative)
    assert [email.to for email in mail.outbox] == [["team@asa.example.org"]]


def test_a_resubmission_after_a_return_tells_the_secretariat_again(
    submitted, secretariat, representative, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(practice=submitted, by=secretariat, comment="Add costs.")
        services.practice_submit(practice=submitted, by=representative)
        services.practice_return(practice=submitted, by=secretariat, comment="And funding.")
        services.practice_submit(practice=submitted, by=representative)
    to_mailbox = [email.subject for email in mail.outbox if email.to == [MAILBOX]]
    assert to_mailbox == [f"To review again: {submitted.title} (Stuttgart)"] * 2
    assert list(
        Notification.objects.filter(address=MAILBOX)
        .order_by("revision")
        .values_list("revision", flat=True)
    ) == [1, 3]


def test_a_practice_submitted_again_before_a_decision_is_told_once(
    region, representative, mailbox, django_capture_on_commit_callbacks
):
    practice = PracticeFactory(region=region, title="Battery skills", status=Practice.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice=practice, by=representative)
        # An edit takes it out of the queue; the second submission puts it back.
        services.practice_update(practice=practice, by=representative, data={"summary": "New"})
        services.practice_submit(practice=practice, by=representative)
    assert [email.to for email in mail.outbox] == [[MAILBOX]]
    assert Notification.objects.filter(practice=practice).count() == 1


def test_a_submission_after_publication_tells_the_secretariat_again(
    region, representative, secretariat, mailbox, django_capture_on_commit_callbacks
):
    practice = PracticeFactory(region=region, title="Battery skills", status=Practice.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(practice=practice, by=representative)
        services.practice_publish(practice=practice, by=secretariat)
        services.practice_update(practice=practice, by=representative, data={"summary": "New"})
        services.practice_submit(practice=practice, by=representative)
    assert [email.to for email in mail.outbox] == [[MAILBOX], [representative.email], [MAILBOX]]
    first, _, again = mail.outbox
    assert first.subject == "To review: Battery skills (Stuttgart)"
    assert "Stuttgart submitted the best practice “Battery skills” for review." in first.body
    assert again.subject == "To review again: Battery skills (Stuttgart)"
    assert (
        "Stuttgart submitted the best practice “Battery skills” again, changed since your "
        "last decision." in again.body
    )
    assert "changed since your last decision" in again.alternatives[0][0]


def test_a_refused_email_to_the_mailbox_is_retried_and_sent_once(
    region, representative, mailbox, settings
):
    settings.EMAIL_BACKEND = "tests.practices.flaky_backend.FirstAttemptFailsBackend"
    flaky_backend.attempts.clear()
    practice = PracticeFactory(region=region, status=Practice.Status.DRAFT)
    services.practice_submit(practice=practice, by=representative)
    row = Notification.objects.get()
    assert notifications_deliver(ids=[row.pk])["retry"] == 1
    Notification.objects.filter(pk=row.pk).update(due_at=row.created_at)
    assert notifications_deliver(ids=[row.pk])["sent"] == 1
    assert notifications_deliver(ids=[row.pk])["sent"] == 0
    assert [email.to for email in mail.outbox] == [[MAILBOX]]
