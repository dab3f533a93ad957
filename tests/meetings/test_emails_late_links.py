"""A meeting email offers the answer links that still work when it is built
(Meeting.answers_offered): before the registration deadline every answer of the format;
after it, the decline link alone to someone coming (in person, seated or waiting, or
online), and no link at all to anyone else."""

import datetime as dt
import re

import html5lib
import pytest
import time_machine

from meetings import tokens
from meetings.models import Attendance
from notifications.messages import Composer
from notifications.models import Notification
from notifications.services import notifications_deliver
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory, in_days

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.org"
LATE = (
    "Answers are closed, but until the meeting starts you can still say you cannot come "
    "(you cannot answer again afterwards):"
)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def meeting():
    """Hybrid, one seat; starts in 21 days, answers closed 14 days from now at 17:00."""
    return MeetingFactory(
        title="WG4 meeting",
        slug="wg4-late",
        start=in_days(21),
        registration_deadline=in_days(14, 17),
        capacity=1,
    )


@pytest.fixture
def after_the_deadline():
    with time_machine.travel(in_days(15), tick=False):
        yield


def person(meeting, email_address, answer=None, *, waitlisted=False, guest=False):
    user = UserFactory(email=email_address, is_guest=guest)
    if answer:
        AttendanceFactory(meeting=meeting, user=user, answer=answer, waitlisted=waitlisted)
    return user


def rows(meeting, people, kind="reminder") -> list[Notification]:
    return [
        Notification.objects.create(meeting=meeting, person=who, kind=kind, revision=24)
        for who in people
    ]


def sent(smtp, meeting, people, kind="reminder") -> dict[str, object]:
    """The emails of one batch (one Composer), by address."""
    counts = notifications_deliver(ids=[row.pk for row in rows(meeting, people, kind)])
    assert counts["sent"] == len(people)
    return {item.envelope_to[0]: item for item in smtp.received}


def rsvp(meeting, who, value) -> tuple:
    """What an answer link says: its meeting, its person, its answer (the token carries
    the time it was signed, so links are compared by what they say)."""
    return (meeting.pk, who.pk, value)


def read(url: str) -> tuple:
    assert url.startswith(f"{SITE}/rsvp/"), url
    answer = tokens.rsvp_read(url.removeprefix(f"{SITE}/rsvp/").removesuffix("/"))
    return (answer.meeting_id, answer.person_id, answer.answer)


def text_links(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^- (I [^:]+): (\S+)$", text.replace("\r\n", "\n"), flags=re.MULTILINE)


def links_in_text(text: str) -> list[tuple[str, tuple]]:
    return [(label, read(url)) for label, url in text_links(text)]


def html_document(html: str):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def html_links(html: str) -> list[tuple[str, str]]:
    document = html_document(html)
    return [
        (a.text, read(a.get("href"))) for a in document.iter("a") if a.get("class") == "answer"
    ]


def paragraphs(html: str) -> list[str]:
    return ["".join(p.itertext()).strip() for p in html_document(html).iter("p")]


# -- after the deadline ------------------------------------------------------------------


def test_a_reminder_after_the_deadline_offers_someone_seated_only_the_decline_link(
    smtp, meeting, after_the_deadline
):
    seated = person(meeting, "seated@example.org", "in_person")
    person(meeting, "other@example.org", "online")
    received = sent(smtp, meeting, [seated])["seated@example.org"]
    decline = rsvp(meeting, seated, "declined")
    assert links_in_text(received.text) == [("I cannot attend", decline)]
    [(_label, url)] = text_links(received.text)
    expected = f"Your answer so far: In person\n{LATE}\n- I cannot attend: {url}\n"
    assert expected in received.text.replace("\r\n", "\n")
    assert "Please answer in one click:" not in received.text
    assert "To change it:" not in received.text
    assert html_links(received.html) == [("I cannot attend", decline)]
    assert LATE in paragraphs(received.html)
    heading = [h.text for h in html_document(received.html).iter("h2")]
    assert heading == ["Your answer so far: In person"]


def test_the_decline_link_of_a_late_reminder_records_the_decline_and_frees_the_seat(
    smtp, client, meeting, after_the_deadline
):
    seated = person(meeting, "seated@example.org", "in_person")
    waiting = person(meeting, "waiting@example.org", "in_person", waitlisted=True)
    received = sent(smtp, meeting, [seated])["seated@example.org"]
    [(_label, url)] = text_links(received.text)
    path = url.removeprefix(SITE)
    assert "Confirm: I cannot attend" in client.get(path).content.decode()
    done = client.post(path)
    assert done.status_code == 200
    assert "your answer “I cannot attend” is recorded" in done.content.decode()
    assert Attendance.objects.get(meeting=meeting, user=seated).answer == "declined"
    freed = Attendance.objects.get(meeting=meeting, user=waiting)
    assert (freed.answer, freed.waitlisted) == ("in_person", False)


def test_someone_online_or_waiting_is_offered_the_decline_link_after_the_deadline(
    smtp, meeting, after_the_deadline
):
    online = person(meeting, "online@example.org", "online")
    waiting = person(meeting, "waiting@example.org", "in_person", waitlisted=True)
    received = sent(smtp, meeting, [online, waiting])
    assert links_in_text(received["online@example.org"].text) == [
        ("I cannot attend", rsvp(meeting, online, "declined"))
    ]
    assert links_in_text(received["waiting@example.org"].text) == [
        ("I cannot attend", rsvp(meeting, waiting, "declined"))
    ]


@pytest.mark.parametrize(
    ("answer", "kind"),
    # Updates and reminders skip those who declined; an invitation reaches them (someone
    # joining the audience late who had declined already).
    [("declined", "invitation"), (None, "reminder"), (None, "update")],
)
def test_an_email_after_the_deadline_offers_no_link_to_someone_not_coming(
    smtp, meeting, after_the_deadline, answer, kind
):
    not_coming = person(meeting, "not-coming@example.org", answer)
    person(meeting, "seated@example.org", "in_person")
    received = sent(smtp, meeting, [not_coming], kind=kind)["not-coming@example.org"]
    assert "/rsvp/" not in received.text
    assert "/rsvp/" not in received.html
    for line in (LATE, "Please answer in one click:", "To change it:"):
        assert line not in received.text
    assert html_links(received.html) == []
    assert [h.text for h in html_document(received.html).iter("h2")] == []


def test_an_invitation_after_the_deadline_to_someone_who_never_answered_has_no_links(
    smtp, meeting, after_the_deadline
):
    newcomer = person(meeting, "new@example.org")
    received = sent(smtp, meeting, [newcomer], kind="invitation")["new@example.org"]
    assert links_in_text(received.text) == []
    assert "Please answer in one click:" not in received.text
    assert html_links(received.html) == []


def test_two_people_of_one_batch_with_different_answers_get_different_links(
    smtp, meeting, after_the_deadline
):
    seated = person(meeting, "seated@example.org", "in_person")
    silent = person(meeting, "silent@example.org")
    received = sent(smtp, meeting, [seated, silent])
    assert links_in_text(received["seated@example.org"].text) == [
        ("I cannot attend", rsvp(meeting, seated, "declined"))
    ]
    assert LATE in received["seated@example.org"].text
    assert links_in_text(received["silent@example.org"].text) == []
    assert LATE not in received["silent@example.org"].text
    assert "Please answer in one click:" not in received["silent@example.org"].text


def test_a_seat_freed_after_the_deadline_is_told_with_the_decline_link_alone(
    smtp, meeting, after_the_deadline
):
    seated = person(meeting, "seated@example.org", "in_person")
    received = sent(smtp, meeting, [seated], kind="seat")["seated@example.org"]
    assert links_in_text(received.text) == [("I cannot attend", rsvp(meeting, seated, "declined"))]


def test_a_guest_seated_after_the_deadline_gets_the_decline_link_and_their_page(
    smtp, meeting, after_the_deadline
):
    guest = person(meeting, "guest@example.org", "in_person", guest=True)
    received = sent(smtp, meeting, [guest])["guest@example.org"]
    assert links_in_text(received.text) == [("I cannot attend", rsvp(meeting, guest, "declined"))]
    assert f"{SITE}/meetings/wg4-late/registration/" in received.text


# -- before the deadline, and across it ----------------------------------------------------


def test_before_the_deadline_a_reminder_offers_every_answer_as_before(smtp, meeting):
    seated = person(meeting, "seated@example.org", "in_person")
    received = sent(smtp, meeting, [seated])["seated@example.org"]
    expected = [
        ("I will attend in person", rsvp(meeting, seated, "in_person")),
        ("I will attend online", rsvp(meeting, seated, "online")),
        ("I cannot attend", rsvp(meeting, seated, "declined")),
    ]
    assert links_in_text(received.text) == expected
    assert "Your answer so far: In person. To change it:" in received.text
    assert LATE not in received.text
    assert html_links(received.html) == expected


def test_before_the_deadline_someone_who_declined_may_still_answer_anything(smtp, meeting):
    declined = person(meeting, "declined@example.org", "declined")
    received = sent(smtp, meeting, [declined], kind="invitation")["declined@example.org"]
    assert [label for label, _url in links_in_text(received.text)] == [
        "I will attend in person",
        "I will attend online",
        "I cannot attend",
    ]


def test_a_batch_crossing_the_deadline_renders_the_links_of_each_moment(meeting):
    """The body is rendered once per variant: the links offered are part of its key."""
    first = person(meeting, "first@example.org", "in_person")
    second = person(meeting, "second@example.org", "in_person")
    first_row, second_row = rows(meeting, [first, second])
    composer = Composer()
    with time_machine.travel(meeting.registration_deadline - dt.timedelta(minutes=1)):
        before = composer.build(first_row)
    with time_machine.travel(meeting.registration_deadline + dt.timedelta(minutes=1)):
        after = composer.build(second_row)
    assert len(links_in_text(before.body)) == 3
    assert links_in_text(after.body) == [("I cannot attend", rsvp(meeting, second, "declined"))]


def test_only_the_links_shown_are_signed(meeting, after_the_deadline, monkeypatch):
    seated = person(meeting, "seated@example.org", "in_person")
    silent = person(meeting, "silent@example.org")
    signed = []
    sign = tokens.rsvp

    def counted(meeting, who, value):
        signed.append((who.email, value))
        return sign(meeting, who, value)

    monkeypatch.setattr(tokens, "rsvp", counted)
    composer = Composer()
    for row in rows(meeting, [seated, silent]):
        composer.build(row)
    assert signed == [("seated@example.org", "declined")]


def test_a_late_reminder_no_longer_asks_to_answer_by_a_date_that_has_passed(
    smtp, meeting, after_the_deadline
):
    seated = person(meeting, "seated@example.org", "in_person")
    received = sent(smtp, meeting, [seated])["seated@example.org"]
    assert "Please answer by:" not in received.text
    headings = [th.text for th in html_document(received.html).iter("th")]
    assert "Answer by" not in headings
    assert "Where" in headings


def test_before_the_deadline_a_reminder_says_when_to_answer_by(smtp, meeting):
    seated = person(meeting, "seated@example.org", "in_person")
    received = sent(smtp, meeting, [seated])["seated@example.org"]
    assert "Please answer by:" in received.text
    assert "Answer by" in [th.text for th in html_document(received.html).iter("th")]
