"""/me/ in the reader's language: headings, buttons, answers and dates."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.utils import translation

from meetings.models import Attendance
from meetings.services import meeting_publish
from notifications.models import Notification
from practices.models import Practice
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
)
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
NBSP = "\u00a0"  # French puts a no-break space before a colon


def my_page(client, person, language: str) -> str:
    """/me/ as `person` reads it: the profile, the browser and the cookie all say
    `language`, whichever the portal reads."""
    person.language = language
    person.save(update_fields=["language"])
    client.force_login(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        response = client.get("/me/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    # The page's own part: the navigation around it belongs to base.html.
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def group(member):
    return WorkingGroupFactory(code="WG4", name="Regional Implementation", members=[member])


def test_my_page_speaks_french_to_a_french_reader(client, member, group):
    invited = DraftMeetingFactory(
        title="WG4 spring meeting",
        working_group=group,
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 12, 30, tzinfo=BRUSSELS),
        registration_deadline=dt.datetime(2099, 3, 18, 17, tzinfo=BRUSSELS),
    )
    meeting_publish(meeting=invited)
    answered = MeetingFactory(title="Study visit Košice", working_group=group)
    AttendanceFactory(meeting=answered, user=member, answer=Attendance.Answer.ONLINE)

    page = my_page(client, member, "fr")

    for french in (
        "Ma page",
        "Invitations en attente de réponse",
        "Mes prochaines réunions",
        "Mes groupes de travail",
        f"Date limite de réponse{NBSP}: mer. 18 mars 2099, 17:00 (heure locale à Bruxelles)",
        "mer. 25 mars 2099, 10:00–12:30 (heure locale à Bruxelles)",
        f"Votre réponse{NBSP}: <strong>En ligne</strong>",
        "Votre réponse à WG4 spring meeting",
        ">Sur place</button>",
        ">Décliner</button>",
    ):
        assert french in page, french
    for english in (
        "My page",
        "Invitations to answer",
        "My next meetings",
        "Answer by",
        "Your answer",
        ">In person</button>",
        ">Decline</button>",
        "Brussels time",
        "March",
    ):
        assert english not in page, english
    # Titles stay as written.
    assert "WG4 spring meeting" in page and "Study visit Košice" in page


def test_the_secretariats_queue_is_in_french_with_french_dates(client, secretariat):
    practice = PracticeFactory(title="Skills for e-mobility", status=Practice.Status.SUBMITTED)
    Practice.objects.filter(pk=practice.pk).update(
        updated_at=dt.datetime(2024, 3, 27, 12, tzinfo=dt.UTC)
    )
    page = my_page(client, secretariat, "fr")
    assert "Pratiques en attente d'examen" in page
    assert "soumise le 27 mars 2024" in page
    assert "Réunions à venir et leurs réponses" in page
    assert "submitted 27 March 2024" not in page


def test_a_slovak_reader_sees_the_month_in_the_genitive(client, secretariat):
    practice = PracticeFactory(status=Practice.Status.SUBMITTED)
    Practice.objects.filter(pk=practice.pk).update(
        updated_at=dt.datetime(2024, 3, 27, 12, tzinfo=dt.UTC)
    )
    page = my_page(client, secretariat, "sk")
    assert "odoslané 27. marca 2024" in page


def test_an_answer_from_my_page_is_confirmed_in_the_readers_language(client, member, group):
    meeting = MeetingFactory(title="WG4 spring meeting", working_group=group)
    my_page(client, member, "de")
    with translation.override("de"):
        response = client.post("/me/", {"meeting": meeting.pk, "answer": "declined"}, follow=True)
    assert "Ihre Antwort zu WG4 spring meeting: Abgesagt." in response.content.decode()


def bouncing_person(**fields):
    """A person whose address bounced on 27 March 2024, with `waiting` emails queued."""
    waiting = fields.pop("waiting")
    person = UserFactory(
        email_bouncing_since=dt.datetime(2024, 3, 27, 12, tzinfo=dt.UTC), **fields
    )
    for meeting in MeetingFactory.create_batch(waiting):
        Notification.objects.create(meeting=meeting, person=person, kind="invitation")
    return person


def test_the_addresses_that_bounce_are_in_german_with_german_dates(client, secretariat):
    bouncing_person(waiting=2)
    page = my_page(client, secretariat, "de")
    assert "Unzustellbare Adressen" in page
    assert "E-Mails an diese Personen warten, bis ihre Adresse" in page
    assert "unzustellbar seit 27. März 2024" in page
    assert "2 E-Mails warten" in page
    assert "bouncing since" not in page and "emails wait" not in page


@pytest.mark.parametrize(
    ("waiting", "slovak"),
    [(1, "1 e-mail čaká"), (3, "3 e-maily čakajú"), (5, "5 e-mailov čaká")],
)
def test_a_slovak_reader_reads_how_many_emails_wait_in_the_right_form(
    waiting, slovak, client, secretariat
):
    bouncing_person(waiting=waiting)
    page = my_page(client, secretariat, "sk")
    assert "nedoručiteľná od 27. marca 2024" in page
    assert slovak in page
