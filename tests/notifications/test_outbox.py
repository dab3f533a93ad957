"""The outbox: one row per email, unique, sent once, retried when refused, swept when
lost, and visible in the delivery log."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from notifications.tasks import notifications_send, notifications_sweep
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    return MeetingFactory(title="WG4 meeting")


def invitation(meeting, person, **fields) -> Notification:
    return Notification.objects.create(
        meeting=meeting, person=person, kind=Notification.Kind.INVITATION, **fields
    )


def test_a_second_row_for_the_same_meeting_person_kind_and_revision_cannot_exist(meeting, member):
    invitation(meeting, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        invitation(meeting, member)
    Notification.objects.create(meeting=meeting, person=member, kind="update", revision=1)
    assert Notification.objects.count() == 2


def test_a_second_row_for_the_same_practice_decision_cannot_exist(region, member):
    practice = PracticeFactory(region=region)
    fields = {"practice": practice, "person": member, "kind": "practice_review"}
    Notification.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**fields)


def test_a_row_is_about_exactly_one_meeting_or_practice(meeting, member, region):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(person=member, kind="invitation")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            person=member, kind="invitation", meeting=meeting, practice=PracticeFactory()
        )


def mailbox_row(practice, **fields) -> Notification:
    return Notification.objects.create(
        practice=practice,
        address="secretariat@asa.example.org",
        kind=Notification.Kind.PRACTICE_REVIEW,
        details={"decision": "submitted"},
        **fields,
    )


def test_a_row_goes_to_a_person_or_to_a_mailbox_never_both_nor_neither(region, member):
    practice = PracticeFactory(region=region)
    with pytest.raises(IntegrityError), transaction.atomic():
        mailbox_row(practice, person=member)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(practice=practice, kind="practice_review")
    assert mailbox_row(practice).to == "secretariat@asa.example.org"


def test_rows_to_people_and_to_a_mailbox_are_made_together_and_a_closed_persons_is_left_out(
    region, member, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    practice = PracticeFactory(region=region)
    closed = UserFactory(is_active=False)
    rows = [
        Notification(practice=practice, person=member, kind="practice_review"),
        Notification(practice=practice, person=closed, kind="practice_review"),
        Notification(
            practice=practice,
            address="secretariat@asa.example.org",
            kind="practice_review",
            details={"decision": "submitted"},
        ),
    ]
    services.notifications_create(rows=rows)
    made = Notification.objects.filter(practice=practice)
    assert sorted((row.person_id or 0, row.address) for row in made) == [
        (0, "secretariat@asa.example.org"),
        (member.pk, ""),
    ]


def test_a_mailbox_is_told_only_about_a_practice(meeting):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            meeting=meeting, address="secretariat@asa.example.org", kind="invitation"
        )


def test_a_second_mailbox_row_for_the_same_practice_and_revision_cannot_exist(region, member):
    practice, other = PracticeFactory(region=region), PracticeFactory(region=region)
    mailbox_row(practice)
    mailbox_row(other)
    mailbox_row(practice, revision=1)
    Notification.objects.create(practice=practice, person=member, kind="practice_review")
    with pytest.raises(IntegrityError), transaction.atomic():
        mailbox_row(practice)


def test_a_mailbox_row_is_sent_once_even_when_people_of_the_batch_bounce(smtp, region, member):
    member.email_bouncing_since = timezone.now()
    member.save()
    practice = PracticeFactory(region=region)
    held = Notification.objects.create(practice=practice, person=member, kind="practice_review")
    row = mailbox_row(practice, revision=1)
    assert services.notifications_deliver(ids=[held.pk, row.pk])["sent"] == 1
    assert services.notifications_deliver(ids=[held.pk, row.pk])["sent"] == 0
    assert [message.envelope_to for message in smtp.received] == [["secretariat@asa.example.org"]]
    held.refresh_from_db()
    assert held.status == "queued"


def test_sending_twice_sends_once(smtp, meeting, member):
    row = invitation(meeting, member)
    notifications_send.delay([row.pk])
    notifications_send.delay([row.pk])
    assert len(smtp.received) == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert row.sent_at is not None


def test_a_row_claimed_by_another_worker_is_left_alone(smtp, meeting, member):
    row = invitation(meeting, member, claimed_until=timezone.now() + dt.timedelta(minutes=5))
    assert services.notifications_deliver(ids=[row.pk])["sent"] == 0
    assert smtp.received == []


def test_a_refused_send_is_retried_later_with_the_error_kept(
    smtp, meeting, member, time_machine, django_capture_on_commit_callbacks
):
    smtp.refuse = 1
    row = invitation(meeting, member)
    assert services.notifications_deliver(ids=[row.pk])["retry"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.last_error.startswith("451")
    # Not again before its delay: the sweep hands it on when it is due.
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_sweep.delay().get() == 0
    time_machine.move_to(timezone.now() + services.retry_delay(1) + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_sweep.delay().get() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(smtp.received) == 1


def test_a_send_refused_at_every_attempt_ends_as_failed(smtp, meeting, member, time_machine):
    smtp.refuse = services.MAX_ATTEMPTS
    row = invitation(meeting, member)
    for _attempt in range(services.MAX_ATTEMPTS):
        services.notifications_deliver(ids=[row.pk])
        time_machine.move_to(timezone.now() + dt.timedelta(hours=2))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert "451" in row.last_error
    assert smtp.received == []


def test_a_row_whose_task_was_lost_is_sent_by_the_sweep(
    smtp, meeting, member, time_machine, django_capture_on_commit_callbacks
):
    # The broker was down at publishing: the row exists, its task never ran.
    with django_capture_on_commit_callbacks(execute=False):
        services.notifications_create(
            rows=[Notification(meeting=meeting, person=member, kind="invitation")]
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_sweep() == 0  # it may still be on its way
    time_machine.move_to(timezone.now() + services.STALE_AFTER + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_sweep() == 1
    assert len(smtp.received) == 1


def test_two_sweeps_hand_a_row_on_once(meeting, member, django_capture_on_commit_callbacks):
    Notification.objects.create(
        meeting=meeting, person=member, kind="reminder", revision=24, due_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=False) as first:
        services.notifications_sweep()
    with django_capture_on_commit_callbacks(execute=False) as second:
        services.notifications_sweep()
    assert (len(first), len(second)) == (1, 0)


def test_each_batch_sends_over_one_connection(smtp, meeting):
    rows = [invitation(meeting, person) for person in UserFactory.create_batch(7)]
    notifications_send.delay([row.pk for row in rows[:4]])
    notifications_send.delay([row.pk for row in rows[4:]])
    assert len(smtp.received) == 7
    assert len(smtp.peers) == 2


def test_the_delivery_log_lists_and_shows_the_rendered_message(
    smtp, meeting, member, secretariat, client_for
):
    row = invitation(meeting, member)
    client = client_for(secretariat)
    listing = client.get("/admin/notifications/notification/?status__exact=queued&q=member")
    assert listing.status_code == 200
    assert b"member@example.org" in listing.content
    page = client.get(f"/admin/notifications/notification/{row.pk}/change/")
    assert page.status_code == 200
    assert b"Subject: Invitation: WG4 meeting" in page.content


def test_the_delivery_log_resends_failed_emails(
    smtp, meeting, member, secretariat, client_for, django_capture_on_commit_callbacks
):
    failed = invitation(meeting, member, status="failed", attempts=6, last_error="451 later")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretariat).post(
            "/admin/notifications/notification/",
            {"action": "resend_failed", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert len(smtp.received) == 1


def queries_to_send(meeting, people) -> int:
    rows = [invitation(meeting, person) for person in people]
    with CaptureQueriesContext(connection) as context:
        services.notifications_deliver(ids=[row.pk for row in rows])
    assert Notification.objects.filter(pk__in=[r.pk for r in rows], status="sent").count() == len(
        rows
    )
    return len(context)


def test_a_batch_renders_the_agenda_once_whatever_its_size(smtp):
    few, many = MeetingFactory(), MeetingFactory()
    for meeting in (few, many):
        AgendaItemFactory.create_batch(5, meeting=meeting)
    small = queries_to_send(few, UserFactory.create_batch(5))
    large = queries_to_send(many, UserFactory.create_batch(45))
    # One UPDATE per message (marked sent at once); nothing else grows with the batch.
    assert large - small == 40


def test_a_batch_of_updates_reads_the_answers_once_whatever_its_size(smtp):
    """Each calendar carries the person's answer: read once per meeting, not per person."""
    from meetings.models import Attendance
    from tests.factories.meetings import AttendanceFactory

    def queries(meeting, people) -> int:
        for person in people:
            AttendanceFactory(meeting=meeting, user=person, answer=Attendance.Answer.IN_PERSON)
        rows = [
            Notification.objects.create(meeting=meeting, person=person, kind="update", revision=1)
            for person in people
        ]
        with CaptureQueriesContext(connection) as context:
            counts = services.notifications_deliver(ids=[row.pk for row in rows])
        assert counts["sent"] == len(people)
        return len(context)

    small = queries(MeetingFactory(), UserFactory.create_batch(5))
    large = queries(MeetingFactory(), UserFactory.create_batch(45))
    assert large - small == 40  # one UPDATE per message marks it sent
    assert "PARTSTAT=ACCEPTED" in smtp.received[-1].part("text/calendar")


def test_a_broker_down_at_publishing_loses_nothing(
    smtp, member, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from meetings.services import meeting_publish
    from tests.factories.meetings import DraftMeetingFactory, WorkingGroupFactory

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    meeting = DraftMeetingFactory(working_group=WorkingGroupFactory(members=[member]))
    monkeypatch.setattr(notifications_send, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_publish(meeting=meeting)  # no error page: the change is committed
    assert smtp.received == []
    monkeypatch.undo()  # the broker is back
    time_machine.move_to(timezone.now() + services.STALE_AFTER + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.notifications_sweep()
    assert [item.envelope_to for item in smtp.received] == [["member@example.org"]]


def test_the_mail_folder_of_a_laptop_gets_one_file_per_message(meeting, settings, tmp_path):
    settings.EMAIL_BACKEND = "asa_portal.mail.FolderBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    rows = [invitation(meeting, person) for person in UserFactory.create_batch(4)]
    assert services.notifications_deliver(ids=[row.pk for row in rows])["sent"] == 4
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 4
    assert all(file.read_text().count("Subject: Invitation:") == 1 for file in files)


def test_a_worker_stops_before_its_lease_ends_and_gives_the_rest_back(smtp, meeting, time_machine):
    rows = [invitation(meeting, person) for person in UserFactory.create_batch(5)]
    time_machine.move_to(timezone.now())

    def slow_server(received):
        if len(smtp.received) == 2:
            time_machine.shift(services.LEASE)

    smtp.on_accept = slow_server
    assert services.notifications_deliver(ids=[row.pk for row in rows])["sent"] == 2
    rest = Notification.objects.filter(status="queued")
    assert set(rest.values_list("attempts", "claimed_until", "queued_at")) == {(0, None, None)}
    assert rest.count() == 3


def test_a_sent_row_records_the_time_one_more_attempt_and_no_claim(smtp, meeting, member):
    """A row refused once and then accepted: the refusal stays in the log."""
    row = invitation(meeting, member, attempts=1, last_error="451 4.3.0 Try again later")
    before = timezone.now()
    assert services.notifications_deliver(ids=[row.pk])["sent"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == ("sent", 2, None)
    assert row.sent_at >= before
    assert row.last_error == "451 4.3.0 Try again later"


# -- emails about the person's own account (password reset) ------------------------------


def reset_row(person, revision=1) -> Notification:
    return Notification.objects.create(
        person=person, kind=Notification.Kind.PASSWORD_RESET, revision=revision
    )


def test_a_password_reset_row_needs_no_meeting_or_practice(member):
    row = reset_row(member)
    assert row.subject is None
    assert str(row) == f"Password reset to {member}"


def test_only_an_email_about_the_account_may_be_without_a_meeting_or_practice(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(person=member, kind=Notification.Kind.INVITATION)


def test_a_second_reset_row_for_the_same_person_and_revision_cannot_exist(member):
    other = UserFactory()
    reset_row(member)
    reset_row(other)
    reset_row(member, revision=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        reset_row(member)


def test_the_delivery_log_shows_a_reset_row_without_its_link(
    meeting, member, secretariat, client_for
):
    invitation(meeting, member)
    row = reset_row(member)
    client = client_for(secretariat)
    listing = client.get("/admin/notifications/notification/")
    assert listing.status_code == 200
    cells = BeautifulSoup(listing.content, "html.parser").select("td.field-recipient")
    assert [cell.get_text() for cell in cells] == ["member@example.org"] * 2
    assert b"Password reset" in listing.content
    page = client.get(f"/admin/notifications/notification/{row.pk}/change/")
    assert page.status_code == 200
    assert b"Not shown: it holds a link that sets the person" in page.content
    assert b"/accounts/reset/" not in page.content


def test_a_reset_row_goes_out_over_smtp_with_text_html_and_the_link(smtp, member, meeting):
    invitation(meeting, UserFactory(email="other@example.org"))
    row = reset_row(member)
    assert services.notifications_deliver(ids=[row.pk])["sent"] == 1
    (received,) = smtp.received
    assert received.envelope_to == ["member@example.org"]
    assert received.subject == "Your ASA Portal password"
    assert "https://portal.example.org/accounts/reset/" in received.text
    assert 'href="https://portal.example.org/accounts/reset/' in received.html
    row.refresh_from_db()
    assert (row.status, row.details) == ("sent", {})
