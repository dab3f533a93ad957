"""A person downloads what the portal holds about them, as JSON: their own data only,
with another member's present, in a fixed number of queries and a bounded size."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from meetings.models import Attendance
from notifications.models import Notification
from practices.models import Practice
from regions.models import RegionMembership
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AttendanceFactory,
    MeetingFactory,
    PublicConferenceFactory,
    QuestionFactory,
    WorkingGroupFactory,
)
from tests.factories.practices import PracticeFactory
from tests.factories.regions import MembershipFactory, RegionFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 3, 27, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def anna(db):
    return UserFactory(
        email="anna@example.org", first_name="Anna", last_name="Berg", organisation="Volvo"
    )


@pytest.fixture
def bert(db):
    return UserFactory(email="bert@example.org", first_name="Bert", last_name="Kovac")


@pytest.fixture
def two_people(anna, bert):
    """Anna and Bert each with a group, a region, an answer, a practice and emails."""
    stuttgart = RegionFactory(name="Stuttgart", slug="stuttgart", country="DE")
    kosice = RegionFactory(name="Košice", slug="kosice", country="SK")
    MembershipFactory(user=anna, region=stuttgart, role=RegionMembership.Role.REPRESENTATIVE)
    MembershipFactory(user=bert, region=kosice, role=RegionMembership.Role.MEMBER)
    wg4 = WorkingGroupFactory(code="WG4", name="Regional Implementation", members=[anna])
    WorkingGroupFactory(code="WG3", name="Skills Intelligence", members=[bert])
    shared = MeetingFactory(
        title="WG4 spring meeting", slug="wg4-spring", working_group=wg4, start=START
    )
    AttendanceFactory(meeting=shared, user=anna, answer=Attendance.Answer.IN_PERSON)
    AttendanceFactory(meeting=shared, user=bert, answer=Attendance.Answer.DECLINED)
    PracticeFactory(
        title="Battery skills", slug="battery-skills", region=stuttgart, created_by=anna
    )
    PracticeFactory(title="Bert's practice", slug="berts", region=kosice, created_by=bert)
    Notification.objects.create(
        meeting=shared, person=anna, kind=Notification.Kind.INVITATION, status="sent"
    )
    Notification.objects.create(meeting=shared, person=anna, kind=Notification.Kind.REMINDER)
    Notification.objects.create(
        meeting=shared, person=bert, kind=Notification.Kind.INVITATION, status="failed"
    )
    return shared


def download(client) -> dict:
    response = client.get("/accounts/profile/data.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_is_a_json_download_kept_by_no_cache(client_for, anna):
    response = client_for(anna).get("/accounts/profile/data.json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="asa-portal-my-data.json"'
    assert "no-store" in response["Cache-Control"]


def test_the_export_holds_my_account_memberships_answers_practices_and_emails_only(
    client_for, anna, two_people
):
    data = download(client_for(anna))
    assert data["account"]["email"] == "anna@example.org"
    assert (data["account"]["first_name"], data["account"]["last_name"]) == ("Anna", "Berg")
    assert data["account"]["organisation"] == "Volvo"
    assert data["regions"] == [{"region": "Stuttgart", "role": "representative"}]
    assert data["working_groups"] == [{"code": "WG4", "name": "Regional Implementation"}]
    assert data["answers"] == [
        {
            "meeting": "WG4 spring meeting",
            "slug": "wg4-spring",
            "start": "2030-03-27T09:00:00Z",
            "answer": "in_person",
            "waiting_list": False,
            "answered_at": data["answers"][0]["answered_at"],
            "questions": {},
            "checked_in_at": None,
        }
    ]
    assert [(p["title"], p["region"], p["status"]) for p in data["practices"]] == [
        ("Battery skills", "Stuttgart", "draft")
    ]
    assert sorted((e["kind"], e["about"], e["state"]) for e in data["emails"]) == [
        ("invitation", "WG4 spring meeting", "sent"),
        ("reminder", "WG4 spring meeting", "queued"),
    ]
    assert data["truncated"] == []


def test_nothing_of_another_member_is_in_my_export(client_for, anna, two_people):
    text = client_for(anna).get("/accounts/profile/data.json").content.decode()
    for theirs in ("bert@example.org", "Kovac", "Košice", "WG3", "Bert's practice", "declined"):
        assert theirs not in text
    assert "failed" not in text


def test_the_export_takes_the_same_queries_with_many_answers_and_emails(
    client_for, anna, two_people
):
    client = client_for(anna)
    download(client)  # the person is read once, then kept in the cache
    with CaptureQueriesContext(connection) as few:
        download(client)
    for number in range(30):
        meeting = MeetingFactory(title=f"Meeting {number}")
        AttendanceFactory(meeting=meeting, user=anna)
        Notification.objects.create(meeting=meeting, person=anna, kind="invitation")
        PracticeFactory(created_by=anna, region=Practice.objects.first().region)
    download(client)
    with CaptureQueriesContext(connection) as many:
        data = download(client)
    assert len(data["answers"]) == 31
    assert len(data["emails"]) == 32
    assert len(many.captured_queries) == len(few.captured_queries)


def test_each_part_of_the_export_is_bounded_and_says_so(anna, two_people, monkeypatch):
    monkeypatch.setattr(services, "EXPORT_LIMIT", 2)
    for number in range(3):
        AttendanceFactory(meeting=MeetingFactory(title=f"More {number}"), user=anna)
    data = services.account_export(user=anna)
    assert len(data["answers"]) == 2
    assert len(data["emails"]) == 2
    assert data["truncated"] == ["answers", "emails"]


def test_my_answers_to_an_events_questions_and_my_check_in_are_in_my_export(
    client_for, anna, bert
):
    conference = PublicConferenceFactory(title="ASA conference", slug="asa-conference")
    diet = QuestionFactory(meeting=conference, text="Dietary needs")
    visits = QuestionFactory(
        meeting=conference, text="Site visits", kind="choices", options="Morning\nEvening"
    )
    wheelchair = QuestionFactory(meeting=conference, text="Wheelchair access", kind="yes_no")
    webinar = PublicConferenceFactory(title="Webinar", slug="webinar")
    role = QuestionFactory(meeting=webinar, text="Your role")
    AttendanceFactory(
        meeting=conference,
        user=anna,
        answer="in_person",
        responses={
            str(diet.pk): "Coeliac",
            str(visits.pk): ["Evening"],
            str(wheelchair.pk): False,
        },
        checked_in_at=dt.datetime(2030, 3, 27, 8, 45, tzinfo=dt.UTC),
    )
    AttendanceFactory(meeting=webinar, user=bert, responses={str(role.pk): "Bert's role"})
    AttendanceFactory(meeting=conference, user=bert, responses={str(diet.pk): "Bert's diet"})
    data = download(client_for(anna))
    assert [(a["meeting"], a["questions"], a["checked_in_at"]) for a in data["answers"]] == [
        (
            "ASA conference",
            {"Dietary needs": "Coeliac", "Site visits": ["Evening"], "Wheelchair access": False},
            "2030-03-27T08:45:00Z",
        )
    ]
    assert "Bert" not in json.dumps(data)


def test_an_answer_to_a_question_since_removed_is_exported_under_its_number(anna):
    conference = PublicConferenceFactory()
    AttendanceFactory(meeting=conference, user=anna, responses={"424242": "Kept"})
    data = services.account_export(user=anna)
    assert data["answers"][0]["questions"] == {"#424242": "Kept"}


def test_the_export_takes_the_same_queries_with_answers_to_one_event_or_thirty(
    anna, django_assert_num_queries
):
    conference = PublicConferenceFactory()
    question = QuestionFactory(meeting=conference)
    AttendanceFactory(meeting=conference, user=anna, responses={str(question.pk): "One"})
    with CaptureQueriesContext(connection) as one:
        services.account_export(user=anna)
    for _ in range(29):
        question = QuestionFactory()
        AttendanceFactory(meeting=question.meeting, user=anna, responses={str(question.pk): "x"})
    with django_assert_num_queries(len(one.captured_queries)):
        data = services.account_export(user=anna)
    assert len(data["answers"]) == 30
