"""An agenda over several days names each day before its first item, wherever it is shown
(the page, the agenda PDF, the meeting's emails); a one-day agenda names none."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.core import mail
from icalendar import Calendar
from pypdf import PdfReader

from meetings.models import Meeting, agenda_schedule
from meetings.services import meeting_publish
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def between(text: str, first: str, last: str) -> str:
    return text[text.index(first) : text.index(last)]


@pytest.fixture
def study_visit():
    """Two days in Stuttgart: a dinner on the first evening, a visit the next morning."""
    start = dt.datetime(2030, 3, 27, 17, 0, tzinfo=BERLIN)
    meeting = MeetingFactory(
        slug="study-visit",
        title="Study visit",
        time_zone="Europe/Berlin",
        start=start,
        end=start + dt.timedelta(days=1, hours=1),
        status=Meeting.Status.DRAFT,
        working_group=WorkingGroupFactory(code="WG4"),
    )
    AgendaItemFactory(meeting=meeting, position=1, title="Arrival", duration_minutes=60)
    AgendaItemFactory(meeting=meeting, position=2, title="Dinner", duration_minutes=120)
    AgendaItemFactory(
        meeting=meeting,
        position=3,
        title="Plant visit",
        day=2,
        start_time=dt.time(9, 0),
        duration_minutes=180,
    )
    return meeting


def test_the_first_item_of_each_day_names_its_day(study_visit):
    slots = agenda_schedule(study_visit, study_visit.agenda_items.all())
    assert [slot.new_day for slot in slots] == [dt.date(2030, 3, 27), None, dt.date(2030, 3, 28)]


def test_a_one_day_agenda_names_no_day():
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, position=1)
    AgendaItemFactory(meeting=meeting, position=2)
    slots = agenda_schedule(meeting, meeting.agenda_items.all())
    assert [slot.new_day for slot in slots] == [None, None]


def test_the_page_heads_each_day_of_the_agenda(study_visit, client_for):
    study_visit.status = Meeting.Status.PUBLISHED
    study_visit.save()
    page = client_for(UserFactory()).get(study_visit.get_absolute_url()).text
    agenda = page[page.index('id="agenda-heading"') :]
    assert "27 March 2030" in agenda[: agenda.index("Arrival")]
    assert "28 March 2030" in between(agenda, "Dinner", "Plant visit")


def test_the_agenda_pdf_heads_each_day(study_visit, client_for):
    study_visit.status = Meeting.Status.PUBLISHED
    study_visit.save()
    response = client_for(UserFactory()).get(f"/meetings/{study_visit.slug}/agenda.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "28 March 2030" in between(text, "Dinner", "Plant visit")


def test_the_invitation_heads_each_day_of_the_agenda(
    study_visit, django_capture_on_commit_callbacks
):
    study_visit.working_group.members.add(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        meeting_publish(meeting=study_visit)
    (invitation,) = mail.outbox
    html = invitation.alternatives[0][0]
    for body in (invitation.body, html):
        assert "28 March 2030" in between(body, "Dinner", "Plant visit")


def test_the_calendar_file_heads_each_day_of_the_agenda(study_visit, client_for):
    study_visit.status = Meeting.Status.PUBLISHED
    study_visit.save()
    response = client_for(UserFactory()).get(f"/meetings/{study_visit.slug}/calendar.ics")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert "27 March 2030" in description[: description.index("Arrival")]
    assert "28 March 2030" in between(description, "Dinner", "Plant visit")


def test_the_admin_names_the_day_of_each_days_first_item(study_visit, secretariat, client_for):
    page = client_for(secretariat).get(f"/admin/meetings/meeting/{study_visit.pk}/change/").text
    dinner, plant_visit = 'id="agenda_items-1"', 'id="agenda_items-2"'
    assert "28 March 2030" not in between(page, dinner, plant_visit)
    assert "28 March 2030, 09:00" in page[page.index(plant_visit) :]
