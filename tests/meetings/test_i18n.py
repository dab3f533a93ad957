"""Meetings in the reader's language: the interface's words, dates and the
event's time zone in German, French, Dutch, Swedish and Slovak; the content (titles,
agendas, venues) as the secretariat wrote it."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from icalendar import Calendar
from pypdf import PdfReader

from meetings import timefmt
from meetings.models import Attendance, Meeting
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, WorkingGroupFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
LINK = "https://meet.example.org/wg4-room"

# The day of the meeting below (Wednesday 25 March 2099), as each language writes it.
DAYS = {
    "de": "Mi., 25. März 2099",
    "fr": "mer. 25 mars 2099",
    "nl": "wo 25 maart 2099",
    "sv": "ons 25 mars 2099",
    "sk": "st 25. marca 2099",
}
ZONES = {
    "de": "Ortszeit Brüssel",
    "fr": "heure locale à Bruxelles",
    "nl": "lokale tijd in Brussel",
    "sv": "lokal tid i Bryssel",
    "sk": "čas v meste Brusel",
}
# A few words of the meeting page: (heading "Agenda", button, an answer, "When").
PAGE_WORDS = {
    "de": ["Tagesordnung", "Zum Kalender hinzufügen", "Ich nehme vor Ort teil", "Wann"],
    "fr": ["Ordre du jour", "Ajouter au calendrier", "Je participerai sur place", "Quand"],
    "nl": ["Agenda", "Toevoegen aan kalender", "Ik neem ter plaatse deel", "Wanneer"],
    "sv": ["Dagordning", "Lägg till i kalendern", "Jag deltar på plats", "När"],
    "sk": ["Program", "Pridať do kalendára", "Zúčastním sa osobne", "Kedy"],
}
ENGLISH_ON_THE_PAGE = [
    "Add to calendar",
    "Agenda as PDF",
    "Presented by",
    "I will attend in person",
    "Will you attend?",
    "Send answer",
    "Brussels time",
    "March",
    "Working group meeting",
    "Co-organisers",
    "Host region",
]
LANGUAGES = list(DAYS)


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        slug="wg4-spring",
        title="WG4 Regional Implementation meeting",
        working_group=WorkingGroupFactory(code="WG4", name="Regional Implementation"),
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 12, 30, tzinfo=BRUSSELS),
        online_link=LINK,
        host_region=RegionFactory(name="Košice", slug="kosice"),
        capacity=1750,
    )
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome and introduction")
    AgendaItemFactory(meeting=meeting, position=2, title="Best practice from Stuttgart")
    return meeting


def reading(client, language: str, person=None):
    """The client as a reader of `language`: the profile (signed in), the browser's
    Accept-Language and the language cookie all say it, whichever the portal reads."""
    if person is not None:
        person.language = language
        person.save(update_fields=["language"])
        client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def page(client, path: str, language: str) -> str:
    with translation.override(language):
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# -- the meeting page ---------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_meeting_page_speaks_the_readers_language(client, member, meeting, language):
    text = page(reading(client, language, member), meeting.get_absolute_url(), language)
    for words in PAGE_WORDS[language]:
        assert words in text
    for english in ENGLISH_ON_THE_PAGE:
        assert english not in text, english


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_meeting_page_gives_the_day_and_zone_as_the_reader_writes_them(
    client, member, meeting, language
):
    text = page(reading(client, language, member), meeting.get_absolute_url(), language)
    assert f"{DAYS[language]}, 10:00–12:30 ({ZONES[language]})" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_meeting_page_keeps_the_content_as_written(client, member, meeting, language):
    text = page(reading(client, language, member), meeting.get_absolute_url(), language)
    for content in (
        "WG4 Regional Implementation meeting",
        "Welcome and introduction",
        "Best practice from Stuttgart",
        "Maison des Régions, Rue Montoyer 10, Brussels",
        "Košice",
        LINK,  # a member sees the link to join
    ):
        assert content in text


@pytest.mark.parametrize(
    ("language", "seats"),
    [
        ("de", "1.750"),
        ("fr", "1\u202f750"),
        ("nl", "1.750"),
        ("sv", "1\u00a0750"),
        ("sk", "1\u00a0750"),
    ],
)
def test_the_seats_are_counted_as_the_reader_groups_digits(
    client, member, meeting, language, seats
):
    text = page(reading(client, language, member), meeting.get_absolute_url(), language)
    assert f"<dd>{seats}</dd>" in text


def test_a_visitor_is_asked_to_sign_in_in_their_language(client, meeting):
    text = page(reading(client, "de"), meeting.get_absolute_url(), "de")
    assert "Melden Sie sich an</a>, um den Link zur Online-Teilnahme zu sehen." in text
    assert LINK not in text


def test_the_pages_parts_kept_for_everyone_are_kept_per_language(meeting):
    from meetings.views import _meeting_shared

    with translation.override("en"):
        english = _meeting_shared(meeting, members_see=True, login_next="/")
    with translation.override("de"):
        german = _meeting_shared(meeting, members_see=True, login_next="/")
    assert "Add to calendar" in english["body"]
    assert "Zum Kalender hinzufügen" in german["body"]
    assert "Add to calendar" not in german["body"]


def test_an_answer_is_confirmed_in_the_readers_language(client, member, meeting):
    reading(client, "de", member)
    with translation.override("de"):
        response = client.post(meeting.get_absolute_url(), {"answer": "in_person"}, follow=True)
    assert "Ihre Antwort wurde gespeichert: Vor Ort." in response.content.decode()
    assert Attendance.objects.get(user=member).answer == Attendance.Answer.IN_PERSON


# -- the list -----------------------------------------------------------------------------

LIST_WORDS = {
    "de": ["Sitzungen und Veranstaltungen", "1. Quartal 2099", "Alle Arbeitsgruppen"],
    "fr": ["Réunions et événements", "T1 2099", "Tous les groupes de travail"],
    "nl": ["Vergaderingen en evenementen", "1e kwartaal 2099", "Alle werkgroepen"],
    "sv": ["Möten och evenemang", "Kvartal 1 2099", "Alla arbetsgrupper"],
    "sk": ["Stretnutia a podujatia", "1. štvrťrok 2099", "Všetky pracovné skupiny"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_meetings_list_speaks_the_readers_language(client, meeting, language):
    text = page(reading(client, language), "/meetings/", language)
    for words in LIST_WORDS[language]:
        assert words in text
    assert f"{DAYS[language]}, 10:00–12:30 ({ZONES[language]})" in text
    for english in (
        "Meetings and events",
        "Past meetings",
        "All working groups",
        "2099 Q1",
        "hosted by",
        "Brussels time",
    ):
        assert english not in text, english
    assert "WG4 Regional Implementation meeting" in text


def test_the_list_kept_for_everyone_is_kept_per_language(rf, member, meeting):
    from meetings.views import meeting_list

    def render(language: str) -> str:
        request = rf.get("/meetings/")
        request.user = member
        with translation.override(language):
            return meeting_list(request).content.decode()

    assert "Meetings and events" in render("en")
    german = render("de")
    assert "Sitzungen und Veranstaltungen" in german
    assert "Meetings and events" not in german


# -- dates and times ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "27 March 2024"),
        ("de", "27. März 2024"),
        ("fr", "27 mars 2024"),
        ("nl", "27 maart 2024"),
        ("sv", "27 mars 2024"),
        ("sk", "27. marca 2024"),  # the month in the genitive
    ],
)
def test_a_day_is_written_as_the_reader_writes_it(language, expected):
    with translation.override(language):
        assert timefmt.long_date(dt.date(2024, 3, 27)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Wed 27 March 2024, 10:00–12:30 (Brussels time)"),
        ("de", "Mi., 27. März 2024, 10:00–12:30 (Ortszeit Brüssel)"),
        ("fr", "mer. 27 mars 2024, 10:00–12:30 (heure locale à Bruxelles)"),
        ("nl", "wo 27 maart 2024, 10:00–12:30 (lokale tijd in Brussel)"),
        ("sv", "ons 27 mars 2024, 10:00–12:30 (lokal tid i Bryssel)"),
        ("sk", "st 27. marca 2024, 10:00–12:30 (čas v meste Brusel)"),
    ],
)
def test_a_meetings_time_names_its_zone_by_the_city_in_the_readers_language(language, expected):
    meeting = Meeting(
        start=dt.datetime(2024, 3, 27, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2024, 3, 27, 12, 30, tzinfo=BRUSSELS),
        time_zone="Europe/Brussels",
    )
    with translation.override(language):
        assert timefmt.meeting_when(meeting) == expected


def test_a_zone_without_a_city_keeps_its_name_in_every_language():
    with translation.override("sk"):
        assert Meeting(time_zone="UTC").zone_label == "UTC"


def test_the_viewers_own_time_is_named_in_their_language(client, member, meeting):
    member.time_zone = "Asia/Tokyo"
    member.save(update_fields=["time_zone"])
    text = page(reading(client, "de", member), meeting.get_absolute_url(), "de")
    assert "18:00–20:30 (Ihre Zeit, Ortszeit Tokio)" in text


# -- rules the model and services explain ---------------------------------------------------


def test_a_refused_time_is_explained_in_the_readers_language(meeting):
    meeting.end = meeting.start - dt.timedelta(hours=1)
    with translation.override("fr"), pytest.raises(ValidationError) as refusal:
        meeting.full_clean()
    assert refusal.value.message_dict["end"] == ["La fin doit être postérieure au début."]


def test_closed_answers_are_explained_in_the_readers_language(meeting):
    meeting.status = Meeting.Status.CANCELLED
    with translation.override("nl"):
        assert meeting.answers_closed_reason == (
            "Antwoorden zijn gesloten: de vergadering is geannuleerd."
        )


# -- the agenda as a PDF ---------------------------------------------------------------------


def test_the_agenda_pdf_has_german_headings_for_a_german_reader(client, meeting):
    reading(client, "de")
    with translation.override("de"):
        response = client.get(f"/meetings/{meeting.slug}/agenda.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(sheet.extract_text() for sheet in reader.pages)
    for german in ("Tagesordnung", "Zeit", "Punkt", "Vortragende", "Wann", "Was", "Wo"):
        assert german in text
    assert "Zeiten: Ortszeit Brüssel" in text
    assert "Mi., 25. März 2099, 10:00–12:30 (Ortszeit Brüssel)" in text
    assert "Seite 1" in text
    for english in ("Presented by", "Times in", "Brussels time", "Page 1", "Host region"):
        assert english not in text, english
    assert "Welcome and introduction" in text  # the agenda as written
    assert reader.metadata.title == "Tagesordnung: WG4 Regional Implementation meeting"


# -- the calendar file -------------------------------------------------------------------------


def test_the_calendar_file_speaks_the_readers_language(client, member, meeting):
    reading(client, "fr", member)
    with translation.override("fr"):
        response = client.get(f"/meetings/{meeting.slug}/calendar.ics")
    assert response.status_code == 200
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    description = str(event["DESCRIPTION"])
    assert f"Participer en ligne\u00a0: {LINK}" in description
    assert "Ordre du jour (heure locale à Bruxelles)\u00a0:" in description
    assert "Détails et réponses\u00a0: " in description
    for english in ("Join online", "Agenda (", "Details and answers"):
        assert english not in description
    assert str(event["SUMMARY"]) == "WG4 Regional Implementation meeting"


def test_a_cancelled_event_is_marked_in_the_readers_language(client, meeting):
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    reading(client, "sv")
    with translation.override("sv"):
        response = client.get(f"/meetings/{meeting.slug}/calendar.ics")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Inställt: WG4 Regional Implementation meeting"


def test_a_personal_feed_speaks_its_owners_language_whoever_fetches_it(client, member, meeting):
    # Calendar clients fetch it without a session or a language: the owner's profile decides.
    member.language = "sk"
    member.save(update_fields=["language"])
    meeting.working_group.members.add(member)
    with translation.override("en"):
        response = client.get(f"/calendar/{member.calendar_token}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Moje stretnutia ASA"
    description = str(calendar.walk("VEVENT")[0]["DESCRIPTION"])
    assert "Program (čas v meste Brusel):" in description


def test_the_public_feeds_etag_differs_between_languages(client, meeting):
    english = client.get("/calendar.ics", HTTP_ACCEPT_LANGUAGE="en")["ETag"]
    german = client.get("/calendar.ics", HTTP_ACCEPT_LANGUAGE="de")["ETag"]
    assert english != german


# -- working groups, the archive and the admin ----------------------------------------------


def test_a_working_groups_page_speaks_dutch(client, meeting):
    text = page(reading(client, "nl"), "/groups/WG4/", "nl")
    for dutch in ("Mandaat", "Komende vergaderingen", "Eerdere vergaderingen", "Leden"):
        assert dutch in text
    assert "om te zien wie deelneemt" in text
    for english in ("Mandate", "Upcoming meetings", "Past meetings", "to see who takes part"):
        assert english not in text
    assert "WG4 Regional Implementation" in text


def test_the_archive_speaks_swedish(client):
    MeetingFactory(
        title="Older meeting",
        start=dt.datetime(2024, 3, 27, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2024, 3, 27, 12, 30, tzinfo=BRUSSELS),
    )
    text = page(reading(client, "sv"), "/meetings/past/", "sv")
    assert "Tidigare möten" in text and "Kommande möten" in text
    assert "ons 27 mars 2024, 10:00–12:30 (lokal tid i Bryssel)" in text
    assert "Past meetings" not in text


def test_the_secretariat_works_on_meetings_in_german(client, secretariat, meeting):
    reading(client, "de", secretariat)
    with translation.override("de"):
        listing = client.get("/admin/meetings/meeting/").content.decode()
        change = client.get(f"/admin/meetings/meeting/{meeting.pk}/change/").content.decode()
    assert "Ausgewählte Sitzungen veröffentlichen" in listing
    assert "Sitzungen und Arbeitsgruppen" in listing  # the app's name
    assert "Mi., 25. März 2099, 10:00–12:30 (Ortszeit Brüssel)" in listing
    for german in ("Wann (Ortszeit der Veranstaltung)", "Wer eingeladen ist", "Anmeldeschluss"):
        assert german in change
    for english in ("Publish the selected meetings", "Who is invited", "Registration deadline"):
        assert english not in listing + change
