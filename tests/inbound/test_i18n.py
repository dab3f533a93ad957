"""What the portal writes back about a calendar reply is in the member's language; what
it keeps in the log for the secretariat is not."""

import pytest
from django.core import mail

from accounts.models import User
from inbound.models import InboundMessage
from meetings.models import Meeting
from tests.factories.meetings import AttendanceFactory
from tests.inbound.conftest import mime

pytestmark = pytest.mark.django_db


def speaks(person, language: str) -> None:
    User.objects.filter(pk=person.pk).update(language=language)


def test_a_refused_reply_is_explained_in_the_members_language(
    deliver, invitation, meeting, member
):
    speaks(member, "de")
    delegated = mime("thunderbird_accept.eml").replace(b"PARTSTAT=ACCEPTED", b"PARTSTAT=DELEGATED")
    row = deliver(delegated)
    assert row.outcome == InboundMessage.Outcome.REFUSED
    # The log stays in English for the secretariat.
    assert row.detail.startswith("An invitation cannot be passed on")
    (told,) = mail.outbox
    assert told.subject == "Ihre Antwort wurde nicht erfasst: WG4 meeting"
    assert "Die Antwort Ihres Kalenders auf „WG4 meeting“ konnte nicht erfasst werden:" in (
        told.body
    )
    assert "Eine Einladung kann nicht per Kalenderantwort" in told.body
    assert "could not be recorded" not in told.body
    (html, _mimetype) = told.alternatives[0]
    assert '<html lang="de">' in html
    assert "Das ASA-Sekretariat" in html


def test_a_reply_to_a_full_meeting_says_so_in_slovak(deliver, invitation, meeting, member):
    speaks(member, "sk")
    Meeting.objects.filter(pk=meeting.pk).update(capacity=1)
    AttendanceFactory(meeting=meeting, answer="in_person")
    deliver("outlook_accept.eml")
    (told,) = mail.outbox
    assert told.subject == "Na čakacej listine: WG4 meeting"
    assert "ste na čakacej listine" in told.body
    assert "waiting list" not in told.body


def test_a_reply_to_an_older_revision_is_answered_in_french(deliver, invitation, meeting, member):
    speaks(member, "fr")
    Meeting.objects.filter(pk=meeting.pk).update(sequence=2)
    deliver("thunderbird_accept.eml")
    (told,) = mail.outbox
    assert told.subject == "Changement depuis votre réponse\u00a0: WG4 meeting"
    assert "la réunion a changé après l’invitation à laquelle vous avez répondu" in told.body
