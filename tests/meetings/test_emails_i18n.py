"""Every email in its recipient's language, rendered once per language (not per person)
in a large send; the answer page in the language of the person whose link it is."""

import datetime as dt
import re

import pytest
from django.test.signals import template_rendered

from meetings import services
from meetings.invitations import meeting_message_send
from notifications import services as outbox
from notifications.models import Notification
from practices.emails import practice_review_queue
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, DraftMeetingFactory, WorkingGroupFactory
from tests.factories.practices import PublishedPracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "de": UserFactory(email="stuttgart@example.org", first_name="Anna", language="de"),
        "en": UserFactory(email="member@example.org", first_name="Jane", language="en"),
        "fr": UserFactory(email="lyon@example.org", first_name="Luc", language="fr"),
    }


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return call


@pytest.fixture
def meeting(people):
    group = WorkingGroupFactory(code="WG4", name="Regional Implementation")
    group.members.add(*people.values())
    meeting = DraftMeetingFactory(title="WG4 meeting", slug="wg4-next", working_group=group)
    AgendaItemFactory(meeting=meeting, title="Welcome", position=1)
    return meeting


@pytest.fixture
def add_member(django_capture_on_commit_callbacks):
    """Joining the group of a published meeting invites the person (after the commit)."""

    def add(meeting, person):
        with django_capture_on_commit_callbacks(execute=True):
            meeting.working_group.members.add(person)

    return add


@pytest.fixture
def published(meeting, run):
    run(services.meeting_publish, meeting=meeting)
    return meeting


def description(received) -> str:
    (event,) = received.calendar.walk("VEVENT")
    return str(event["DESCRIPTION"])


def test_an_invitation_to_a_german_member_is_german_in_every_part(smtp, published):
    (received,) = smtp.to("stuttgart@example.org")
    assert received.subject.startswith("Einladung: WG4 meeting, ")
    assert "Invitation" not in received.subject
    for part in (received.text, received.html):
        assert "Guten Tag Anna," in part
        assert "Sie sind zu WG4 meeting eingeladen." in part
        assert "You are invited" not in part
        assert "The ASA secretariat" not in part
    assert "Bitte antworten Sie mit einem Klick:" in received.text
    assert '<html lang="de">' in received.html
    assert "Die Seite der Sitzung:" in description(received)
    assert "The meeting's page" not in description(received)
    # Content stays as written.
    assert "Welcome" in received.text
    assert str(received.calendar.walk("VEVENT")[0]["SUMMARY"]) == "WG4 meeting"


GERMAN_MONTHS = (
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
)
DUTCH_MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
)
FRENCH_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
)


def test_the_subject_date_follows_the_recipients_conventions(smtp, published):
    start = published.local_start
    german_month = GERMAN_MONTHS.split()[start.month - 1]
    french_month = FRENCH_MONTHS.split()[start.month - 1]
    (german,) = smtp.to("stuttgart@example.org")
    (french,) = smtp.to("lyon@example.org")
    assert german.subject == f"Einladung: WG4 meeting, {start.day}. {german_month} {start.year}"
    # French typography: a no-break space before the colon.
    assert french.subject == (
        f"Invitation\u00a0: WG4 meeting, {start.day} {french_month} {start.year}"
    )


def test_an_invitation_to_an_english_member_in_the_same_send_is_english(smtp, published):
    (received,) = smtp.to("member@example.org")
    start = published.local_start
    assert received.subject == f"Invitation: WG4 meeting, {start.day} {start:%B %Y}"
    for part in (received.text, received.html):
        assert "Hello Jane," in part
        assert "You are invited to WG4 meeting." in part
        assert "Einladung" not in part
    assert "The meeting's page:" in description(received)


def test_each_person_gets_their_own_answer_links_and_name(smtp, published, people):
    links = {}
    for language, person in people.items():
        (received,) = smtp.to(person.email)
        assert person.first_name in received.text
        links[language] = set(re.findall(r"/rsvp/[^/\s\"]+/", received.html))
        assert links[language] == set(re.findall(r"/rsvp/[^/\s]+/", received.text))
        assert len(links[language]) == 3
    assert not links["de"] & links["en"]


def test_a_large_send_renders_templates_per_language_not_per_person(published, people):
    """200 recipients in three languages: the templates are rendered a few times per
    language; the same send to 20 people renders exactly as many."""
    languages = ["de", "fr", "sv"]

    def renders_for(count: int, offset: int) -> int:
        extra = [
            UserFactory(
                email=f"p{offset + n}@example.org",
                first_name=f"P{n}",
                language=languages[n % 3],
            )
            for n in range(count)
        ]
        rows = Notification.objects.bulk_create(
            Notification(meeting=published, person=person, kind="reminder", revision=offset)
            for person in extra
        )
        rendered = []

        def count_render(sender, template, context, **kwargs):
            rendered.append(template.name)

        template_rendered.connect(count_render)
        try:
            counts = outbox.notifications_deliver(ids=[row.pk for row in rows])
        finally:
            template_rendered.disconnect(count_render)
        assert counts["sent"] == count
        return len(rendered)

    many = renders_for(200, 1000)
    few = renders_for(20, 2000)
    assert many == few
    # Per language: the text and HTML bodies and their layout (email/base.*), the lead
    # and the footer in each, and the meeting's details as text and HTML.
    assert many <= 10 * len(languages)


def test_a_reminder_to_a_swedish_member_is_swedish(smtp, published, run, add_member, people):
    swede = UserFactory(email="goteborg@example.org", first_name="Sven", language="sv")
    add_member(published, swede)
    Notification.objects.create(meeting=published, person=swede, kind="reminder", revision=24)
    (row,) = Notification.objects.filter(person=swede, kind="reminder")
    outbox.notifications_deliver(ids=[row.pk])
    reminder = [item for item in smtp.to("goteborg@example.org") if "Påminnelse" in item.subject]
    (received,) = reminder
    assert received.subject.startswith("Påminnelse: WG4 meeting, ")
    assert "En påminnelse: WG4 meeting närmar sig." in received.text
    assert "Du får påminnelser före de möten du är inbjuden till." in received.text
    assert "Stäng av mötespåminnelser" in received.html
    assert "A reminder" not in received.text


def test_an_update_to_a_dutch_member_is_dutch(smtp, published, run, add_member):
    dutch = UserFactory(email="educam@example.org", first_name="Els", language="nl")
    add_member(published, dutch)
    run(
        services.meeting_update,
        meeting=published,
        data={"start": published.start + dt.timedelta(hours=1), "venue": "Stadhuis"},
    )
    (received,) = [item for item in smtp.to("educam@example.org") if "Wijziging" in item.subject]
    assert received.subject.startswith("Wijziging: WG4 meeting, ")
    assert "De tijd of plaats van WG4 meeting is gewijzigd." in received.text
    assert "Wat er is gewijzigd:" in received.text
    assert "What changed" not in received.text
    # The dates of what changed in Dutch words; the venue as written.
    month = DUTCH_MONTHS.split()[published.local_start.month - 1]
    assert re.search(rf"11:00 \(was \w+ \d+ {month} \d{{4}}, 10:00\)", received.text)
    assert "Stadhuis (was Maison des Régions)" in received.text


def test_a_cancellation_to_a_slovak_member_is_slovak(smtp, published, run, add_member):
    slovak = UserFactory(email="kosice@example.org", first_name="Ján", language="sk")
    add_member(published, slovak)
    run(services.meeting_cancel, meeting=published)
    (received,) = [item for item in smtp.to("kosice@example.org") if "Zrušené" in item.subject]
    assert received.subject.startswith("Zrušené: WG4 meeting, ")
    assert "Stretnutie WG4 meeting bolo zrušené." in received.text
    (event,) = received.calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Zrušené: WG4 meeting"
    assert "Cancelled" not in received.text


def test_a_review_email_to_a_french_representative_is_french(smtp, run):
    practice = PublishedPracticeFactory(title="Apprentissage en alternance")
    person = UserFactory(email="rep-fr@example.org", language="fr")
    run(
        practice_review_queue,
        practice=practice,
        decision="published",
        recipients=[person],
    )
    (received,) = smtp.to("rep-fr@example.org")
    assert received.subject == "Publiée\u00a0: Apprentissage en alternance"
    assert "Le secrétariat de l’ASA a publié la bonne pratique de votre région" in received.text
    assert "has published" not in received.text


def test_a_message_to_participants_has_its_kind_first_in_the_recipients_language(
    smtp, published, run, people
):
    from meetings.models import Attendance

    for person in people.values():
        Attendance.objects.create(meeting=published, user=person, answer="online")
    run(
        meeting_message_send,
        meeting=published,
        subject="Slides",
        body="The slides are online.",
        audience="answered",
    )
    subjects = {
        item.envelope_to[0]: item.subject for item in smtp.received if "Slides" in item.subject
    }
    assert subjects["stuttgart@example.org"] == "Nachricht: Slides (WG4 meeting)"
    assert subjects["member@example.org"] == "Message: Slides (WG4 meeting)"


def test_the_answer_page_is_in_the_language_of_the_person_whose_link_it_is(
    client, smtp, published
):
    (received,) = smtp.to("lyon@example.org")
    link = re.findall(r"https://portal\.example\.org(/rsvp/\S+/)", received.text)[0]
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Confirmer\u00a0:" in text
    assert "Modifier votre réponse" in text
    assert "Confirm:" not in text


def test_a_forged_answer_link_gets_a_clear_page_in_the_visitors_language(client):
    page = client.get("/rsvp/forged/")
    assert page.status_code == 404
    assert "This answer link is not valid" in page.content.decode()


def test_the_secretariats_preview_follows_the_recipients_language(
    client, secretariat, meeting, people
):
    client.force_login(secretariat)
    url = f"/admin/meetings/meeting/{meeting.pk}/preview/?person={people['de'].pk}"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Einladung: WG4 meeting" in text
    assert "Deutsch" in text
