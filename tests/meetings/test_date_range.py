"""Dates far outside the alliance's life (year 1, year 9999) are refused with a message,
never an overflow: the admin, the services and the pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meetings import services
from meetings.models import Meeting, agenda_overruns
from tests.factories.meetings import BRUSSELS, AgendaItemFactory, MeetingFactory
from tests.meetings.test_admin import ADD, LIST, agenda_form, existing_rows, meeting_form

pytestmark = pytest.mark.django_db

FAR_DATES = ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"]


@pytest.fixture
def admin_client(client_for, secretariat):
    client = client_for(secretariat)
    client.raise_request_exception = False
    return client


@pytest.mark.parametrize("day", FAR_DATES)
@pytest.mark.parametrize("field", ["start", "end", "registration_deadline"])
def test_a_date_out_of_range_is_refused_in_the_admin_with_a_message(admin_client, field, day):
    rows = [{"title": "Welcome"}, {"title": "Talk", "start_time": "23:30"}]
    data = {**meeting_form(**{f"{field}_0": day, f"{field}_1": "23:30"}), **agenda_form(rows)}
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert "between 2000 and 2100" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_far_date_on_an_existing_meeting_with_an_agenda_is_refused_in_the_admin(
    admin_client,
):
    meeting = MeetingFactory(
        slug="wg4-meeting",
        working_group=None,
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
    )
    AgendaItemFactory(meeting=meeting, position=1)
    AgendaItemFactory(meeting=meeting, position=2)
    data = {
        **meeting_form(start_0="9999-12-31", start_1="23:59", end_0="9999-12-31"),
        **agenda_form(existing_rows(meeting), initial=2),
    }
    response = admin_client.post(f"{LIST}{meeting.pk}/change/", data)
    assert response.status_code == 200
    assert "between 2000 and 2100" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.start.year == 2099


def test_an_agenda_item_longer_than_a_week_is_refused_in_the_admin(admin_client):
    rows = [{"duration_minutes": "2147483647"} for _ in range(3)]
    response = admin_client.post(ADD, {**meeting_form(), **agenda_form(rows)})
    assert response.status_code == 200
    assert "less than or equal to 10080" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "far",
    [
        dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=14))),
        dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
    ],
)
def test_updating_a_meeting_to_a_far_date_is_refused_not_overflowed(far):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as refusal:
        services.meeting_update(meeting=meeting, data={"start": far})
    assert refusal.value.message_dict["start"] == ["Give a date between 2000 and 2100."]
    assert Meeting.objects.get(pk=meeting.pk).sequence == 0


def test_the_first_and_last_days_of_the_range_are_accepted():
    early = MeetingFactory.build(
        start=dt.datetime(2000, 1, 1, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2000, 1, 1, 12, tzinfo=BRUSSELS),
        working_group=None,
    )
    late = MeetingFactory.build(
        start=dt.datetime(2100, 12, 31, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2100, 12, 31, 12, tzinfo=BRUSSELS),
        working_group=None,
    )
    early.full_clean()
    late.full_clean()


def test_cloning_to_a_far_date_is_refused_not_overflowed():
    meeting = MeetingFactory()
    far = dt.datetime(9999, 12, 31, 23, 0, tzinfo=BRUSSELS)
    with pytest.raises(ValidationError, match="between 2000 and 2100"):
        services.meeting_clone(meeting=meeting, new_start=far)
    assert Meeting.objects.count() == 1


def test_the_agenda_of_a_meeting_with_a_far_date_is_not_computed():
    meeting = MeetingFactory.build(
        start=dt.datetime(9999, 12, 31, 23, 0, tzinfo=BRUSSELS),
        end=dt.datetime(9999, 12, 31, 23, 59, tzinfo=BRUSSELS),
    )
    item = AgendaItemFactory.build(meeting=meeting, duration_minutes=600)
    assert agenda_overruns(meeting, [item]) == []
