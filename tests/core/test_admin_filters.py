"""The admin's filter headings read naturally in every language: the filter's title alone,
not Django's "By %(filter_title)s" ("Podľa stav", "Nach fällig am")."""

import pytest
from bs4 import BeautifulSoup

from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_meeting_with_emails():
    meeting = MeetingFactory(working_group=WorkingGroupFactory(code="WG4"))
    MeetingFactory(working_group=WorkingGroupFactory(code="WG2"))
    for status in ("sent", "failed"):
        Notification.objects.create(
            meeting=meeting, person=UserFactory(), kind="invitation", status=status
        )
    return meeting


def filter_headings(client_for, person, language: str, path: str) -> list[str]:
    person.language = language
    person.save()
    page = BeautifulSoup(client_for(person).get(path).content, "html.parser")
    return [
        summary.get_text(" ", strip=True) for summary in page.select("#changelist-filter summary")
    ]


@pytest.mark.parametrize(
    "language, headings",
    [
        ("en", ["Status", "Kind", "Meeting", "Due at"]),
        ("de", ["Status", "Art", "Sitzung", "Fällig am"]),
        ("sk", ["Stav", "Druh", "Stretnutie", "Naplánované na"]),
    ],
)
def test_the_delivery_logs_filters_are_headed_by_their_titles_alone(
    client_for, secretariat, a_meeting_with_emails, language, headings
):
    path = "/admin/notifications/notification/"
    assert filter_headings(client_for, secretariat, language, path) == headings


@pytest.mark.parametrize(
    "language, headings",
    [
        ("en", ["Working group", "Kind", "Status", "Format", "Visibility", "Start"]),
        ("de", ["Arbeitsgruppe", "Art", "Status", "Format", "Sichtbarkeit", "Beginn"]),
        ("sk", ["Pracovná skupina", "Druh", "Stav", "Forma", "Viditeľnosť", "Začiatok"]),
    ],
)
def test_the_meeting_lists_filters_are_headed_by_their_titles_alone(
    client_for, secretariat, a_meeting_with_emails, language, headings
):
    path = "/admin/meetings/meeting/"
    assert filter_headings(client_for, secretariat, language, path) == headings
