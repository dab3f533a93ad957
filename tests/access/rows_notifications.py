"""Links in emails: the signed token is the credential, so everyone gets the same answer."""

from accounts import tokens
from meetings import tokens as answer_tokens
from meetings.models import Attendance
from tests.access.table import Row, everyone


def build(world) -> None:
    """Uses the meetings of rows_meetings (built before)."""


def rsvp(meeting_of, answer=Attendance.Answer.ONLINE):
    def path(world) -> str:
        token = answer_tokens.rsvp(meeting_of(world), world.people["member"], answer)
        return f"/rsvp/{token}/"

    return path


def reminders_off(world) -> str:
    return f"/reminders/off/{tokens.reminders_off(world.people['member'])}/"


def meeting_emails_off(world) -> str:
    return f"/emails/off/{tokens.meeting_emails_off(world.people['member'])}/"


ROWS = [
    Row("meetings:rsvp", rsvp(lambda w: w.public), everyone(), note="(shows, GET)"),
    Row(
        "meetings:rsvp",
        rsvp(lambda w: w.public),
        everyone(),
        method="post",
        note="(records, POST)",
    ),
    Row("meetings:rsvp", lambda w: "/rsvp/forged:token/", everyone(404), note="(forged)"),
    Row("meetings:rsvp", rsvp(lambda w: w.cancelled), everyone(410), note="(cancelled)"),
    Row("reminders_off", reminders_off, everyone(), note="(shows, GET)"),
    Row(
        "reminders_off",
        reminders_off,
        everyone(),
        method="post",
        note="(turns off, POST)",
    ),
    Row(
        "reminders_off",
        lambda w: "/reminders/off/forged/",
        everyone(404),
        note="(forged)",
    ),
    Row("meeting_emails_off", meeting_emails_off, everyone(), note="(shows, GET)"),
    Row(
        "meeting_emails_off",
        meeting_emails_off,
        everyone(),
        method="post",
        note="(turns off, POST)",
    ),
    Row("meeting_emails_off", lambda w: "/emails/off/forged/", everyone(404), note="(forged)"),
    Row(
        "meeting_emails_off",
        lambda w: f"/emails/off/{tokens.reminders_off(w.people['member'])}/",
        everyone(404),
        note="(a reminders token does not turn emails off)",
    ),
]
