"""The secretariat's side of registrations in the admin: the participants of events (guests
and members) with their answers to the event's questions, filters and search; the
registrations awaiting confirmation, readable only; the event's questions on its page,
shown only for an event open to the public; the links to the exports."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from meetings.models import Attendance, Question, Registration
from notifications.models import Notification
from tests.adminpages import changelist_action, errors_of, form_with, with_new_inline_rows
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    BRUSSELS,
    AttendanceFactory,
    MeetingFactory,
    PublicConferenceFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

PARTICIPANTS = "/admin/meetings/attendance/"
PENDING = "/admin/meetings/registration/"
MEETINGS = "/admin/meetings/meeting/"


@pytest.fixture
def admin_client(client_for, secretariat):
    return client_for(secretariat)


@pytest.fixture
def conference():
    return PublicConferenceFactory(title="ASA conference 2027", slug="asa-2027")


@pytest.fixture
def workshop(conference):
    return QuestionFactory(
        meeting=conference,
        text="Which afternoon workshop?",
        kind="choice",
        options="Skills\nDigital",
    )


@pytest.fixture
def guest(conference, workshop):
    """A guest from Hungary who came, with an answer to the question."""
    return AttendanceFactory(
        meeting=conference,
        user=UserFactory(
            first_name="Zoltán",
            last_name="Őry",
            email="zoltan@gyor.example.org",
            organisation="Győr Automotive Cluster",
            country="HU",
            is_guest=True,
        ),
        answer=Attendance.Answer.IN_PERSON,
        checked_in_at=dt.datetime(2027, 3, 18, 8, 52, tzinfo=BRUSSELS),
        responses={str(workshop.pk): "Digital"},
    )


@pytest.fixture
def member_online(conference):
    return AttendanceFactory(
        meeting=conference,
        user=UserFactory(
            first_name="Anna",
            last_name="Berg",
            email="anna@volvo.example.org",
            organisation="Volvo Cars",
            country="SE",
        ),
        answer=Attendance.Answer.ONLINE,
    )


@pytest.fixture
def elsewhere():
    """Someone waiting for a seat at another meeting."""
    return AttendanceFactory(
        meeting=MeetingFactory(title="WG4 spring meeting", capacity=1),
        user=UserFactory(first_name="Otto", last_name="Other", organisation="Elsewhere GmbH"),
        answer=Attendance.Answer.IN_PERSON,
        waitlisted=True,
    )


def names_listed(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    # The name, without the line under it.
    return [next(cell.find("a").strings) for cell in soup.select("#result_list .field-person")]


def row_of(page: str, name: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    for row in soup.select("#result_list tbody tr"):
        if name in row.get_text():
            return [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])[1:]]
    raise AssertionError(f"{name} is not listed")


# -- the participants' list ---------------------------------------------------------------


def test_the_list_shows_each_participant_with_their_details_answer_and_check_in(
    admin_client, guest, member_online, elsewhere
):
    page = admin_client.get(PARTICIPANTS).content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.h1.get_text() == "Participants"
    assert row_of(page, "Őry")[:4] == [
        "Zoltán Őry guest · zoltan@gyor.example.org",
        "Győr Automotive Cluster Hungary",
        "ASA conference 2027",
        "In person " + guest.answered_at.astimezone(BRUSSELS).strftime("%-d %b %Y"),
    ]
    assert row_of(page, "Berg")[:2] == [
        "Anna Berg member · anna@volvo.example.org",
        "Volvo Cars Sweden",
    ]
    assert row_of(page, "Other")[3].startswith("In person (waiting list)")
    came = {
        name: row.select_one(".field-came img")["alt"]
        for name, row in zip(names_listed(page), soup.select("#result_list tbody tr"), strict=True)
    }
    assert came == {"Zoltán Őry": "True", "Anna Berg": "False", "Otto Other": "False"}


def test_the_list_narrowed_to_one_event_leaves_out_the_event_column(
    admin_client, conference, guest, elsewhere
):
    page = admin_client.get(f"{PARTICIPANTS}?meeting__id__exact={conference.pk}")
    text = page.content.decode()
    assert names_listed(text) == ["Zoltán Őry"]
    assert "column-event" not in text


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("guest=yes", ["Zoltán Őry"]),
        ("guest=no", ["Otto Other", "Anna Berg"]),
        ("came=yes", ["Zoltán Őry"]),
        ("came=no", ["Otto Other", "Anna Berg"]),
        ("answer__exact=online", ["Anna Berg"]),
        ("waitlisted__exact=1", ["Otto Other"]),
    ],
)
def test_the_list_filters(admin_client, guest, member_online, elsewhere, query, listed):
    page = admin_client.get(f"{PARTICIPANTS}?{query}").content.decode()
    assert sorted(names_listed(page)) == sorted(listed)


@pytest.mark.parametrize(
    ("term", "listed"),
    [
        ("Őry", ["Zoltán Őry"]),
        ("anna@volvo", ["Anna Berg"]),
        ("Győr Automotive", ["Zoltán Őry"]),
        ("Anna Berg", ["Anna Berg"]),
    ],
)
def test_the_list_finds_people_by_name_email_or_organisation(
    admin_client, guest, member_online, elsewhere, term, listed
):
    page = admin_client.get(PARTICIPANTS, {"q": term}).content.decode()
    assert names_listed(page) == listed


def test_the_participants_page_shows_the_answer_to_each_question(admin_client, conference, guest):
    QuestionFactory(meeting=conference, text="Dietary needs")
    page = admin_client.get(f"{PARTICIPANTS}{guest.pk}/change/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    answers = soup.select_one("dl.question-answers")
    assert [
        (dt_.get_text(), dd.get_text())
        for dt_, dd in zip(answers.find_all("dt"), answers.find_all("dd"), strict=True)
    ] == [("Which afternoon workshop?", "Digital"), ("Dietary needs", "–")]
    assert guest.checkin_code in page
    assert "Hungary" in page


def test_participants_are_not_added_or_changed_in_the_admin(admin_client, guest):
    assert admin_client.get(f"{PARTICIPANTS}add/").status_code == 403
    response = admin_client.post(
        f"{PARTICIPANTS}{guest.pk}/change/", {"answer": "declined", "waitlisted": ""}
    )
    assert response.status_code == 403
    guest.refresh_from_db()
    assert guest.answer == Attendance.Answer.IN_PERSON


def test_the_list_costs_the_same_queries_for_many_participants(
    admin_client, conference, guest, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15) as few:
        admin_client.get(PARTICIPANTS)
    for n in range(20):
        AttendanceFactory(
            meeting=MeetingFactory() if n % 2 else conference,
            user=UserFactory(country="DE", is_guest=n % 3 == 0),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(PARTICIPANTS)


def test_the_admin_home_lists_participants_and_pending_registrations_after_meetings(
    admin_client,
):
    page = admin_client.get("/admin/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    meetings_app = soup.select_one(".app-meetings")
    names = [row.get_text(strip=True) for row in meetings_app.select("th[scope=row]")]
    assert names[:3] == ["Meetings", "Participants", "Registrations awaiting confirmation"]


# -- registrations awaiting confirmation --------------------------------------------------


@pytest.fixture
def pending(conference, workshop):
    return Registration.objects.create(
        meeting=conference,
        email="new@example.org",
        first_name="Nora",
        last_name="New",
        organisation="<b>Start-up</b>",
        country="BE",
        responses={str(workshop.pk): "Skills"},
        consent_at=dt.datetime(2027, 3, 1, 10, tzinfo=BRUSSELS),
        token_hash="a" * 64,
    )


def test_a_registration_awaiting_confirmation_is_listed_and_readable(admin_client, pending):
    page = admin_client.get(PENDING).content.decode()
    assert "new@example.org" in page and "Nora New" in page
    detail = admin_client.get(f"{PENDING}{pending.pk}/change/").content.decode()
    assert "&lt;b&gt;Start-up&lt;/b&gt;" in detail
    assert "<dt>Which afternoon workshop?</dt><dd>Skills</dd>" in detail
    assert "a" * 64 not in detail  # the token's hash is nobody's business


def test_a_registration_awaiting_confirmation_is_not_added_changed_or_deleted(
    admin_client, pending
):
    assert admin_client.get(f"{PENDING}add/").status_code == 403
    changed = admin_client.post(f"{PENDING}{pending.pk}/change/", {"email": "x@example.org"})
    assert changed.status_code == 403
    assert admin_client.post(f"{PENDING}{pending.pk}/delete/", {"post": "yes"}).status_code == 403
    pending.refresh_from_db()
    assert pending.email == "new@example.org"


# -- the meeting's page: its questions and the exports ------------------------------------


def test_the_meeting_page_links_to_its_participants_and_each_export(admin_client, conference):
    page = admin_client.get(f"{MEETINGS}{conference.pk}/change/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    links = {a.get_text(): a["href"] for a in soup.select(".object-tools a")}
    assert links["Participants"] == f"{PARTICIPANTS}?meeting__id__exact={conference.pk}"
    assert links["CSV"] == f"{MEETINGS}{conference.pk}/participants.csv"
    assert links["XLSX"] == f"{MEETINGS}{conference.pk}/participants.xlsx"
    assert links["Attendance sheet"] == f"{MEETINGS}{conference.pk}/attendance-sheet.pdf"
    assert links["Badges"] == f"{MEETINGS}{conference.pk}/badges.pdf"


def test_the_questions_are_hidden_on_the_page_of_an_event_not_open_to_the_public(
    admin_client,
):
    meeting = MeetingFactory(public_registration=False)
    page = admin_client.get(f"{MEETINGS}{meeting.pk}/change/").content.decode()
    wrapper = BeautifulSoup(page, "html.parser").select_one(".questions-inline")
    assert wrapper.has_attr("hidden")
    assert wrapper.select_one("#questions-group") is not None


def test_the_questions_show_on_the_page_of_an_event_open_to_the_public(
    admin_client, conference, workshop
):
    page = admin_client.get(f"{MEETINGS}{conference.pk}/change/").content.decode()
    wrapper = BeautifulSoup(page, "html.parser").select_one(".questions-inline")
    assert not wrapper.has_attr("hidden")
    assert wrapper.select_one("[name='questions-0-text']")["value"] == "Which afternoon workshop?"


def test_the_open_to_the_public_box_sits_on_the_line_of_the_visibility(admin_client, conference):
    page = admin_client.get(f"{MEETINGS}{conference.pk}/change/").content.decode()
    line = BeautifulSoup(page, "html.parser").select_one(".field-visibility")
    assert line.select_one("[name=public_registration]") is not None


def open_the_meeting(django_app, secretariat, meeting, rows, tick=True):
    page = django_app.get(f"{MEETINGS}{meeting.pk}/change/", user=secretariat)
    form = form_with(page, "public_registration")
    form["public_registration"] = tick
    fields = with_new_inline_rows(form, "questions", rows)
    return django_app.post(form.action or page.request.path, fields, user=secretariat)


def test_the_secretariat_opens_an_event_to_the_public_with_its_questions(django_app, secretariat):
    meeting = MeetingFactory(working_group=None, kind="conference")
    rows = [
        {"text": "Dietary needs", "kind": "text"},
        {
            "text": "Which workshop?",
            "kind": "choice",
            "options": "Skills\nDigital",
            "required": "on",
        },
        {"text": "Do you need a hotel?", "kind": "yes_no"},
    ]
    answer = open_the_meeting(django_app, secretariat, meeting, rows)
    assert answer.status_code == 302, errors_of(answer)
    meeting.refresh_from_db()
    assert meeting.public_registration is True
    saved = [(q.text, q.kind, q.option_list, q.required) for q in meeting.questions.all()]
    assert saved == [
        ("Dietary needs", "text", [], False),
        ("Which workshop?", "choice", ["Skills", "Digital"], True),
        ("Do you need a hotel?", "yes_no", [], False),
    ]
    assert [q.position for q in meeting.questions.all()] == [1, 2, 3]


def test_a_choice_with_one_option_is_refused_on_its_row_and_what_was_typed_stays(
    django_app, secretariat
):
    meeting = MeetingFactory(working_group=None, kind="conference")
    rows = [{"text": "Which workshop?", "kind": "choice", "options": "Skills only"}]
    page = open_the_meeting(django_app, secretariat, meeting, rows)
    assert page.status_code == 200
    assert "Give at least two options, one a line." in errors_of(page)
    assert page.html.select_one("[name='questions-0-text']")["value"] == "Which workshop?"
    wrapper = page.html.select_one(".questions-inline")
    assert not wrapper.has_attr("hidden")
    assert not Question.objects.exists()
    meeting.refresh_from_db()
    assert meeting.public_registration is False


def test_a_refused_question_shows_even_when_the_box_was_unticked_after_typing_it(
    django_app, secretariat
):
    meeting = MeetingFactory(working_group=None, kind="conference")
    rows = [{"text": "Dietary needs", "kind": "text", "options": "Vegan\nHalal"}]
    page = open_the_meeting(django_app, secretariat, meeting, rows, tick=False)
    assert "Only a question with choices has options." in errors_of(page)
    assert not page.html.select_one(".questions-inline").has_attr("hidden")


def test_more_than_twenty_questions_are_refused(django_app, secretariat):
    meeting = MeetingFactory(working_group=None, kind="conference")
    rows = [{"text": f"Question {n}", "kind": "text"} for n in range(21)]
    page = open_the_meeting(django_app, secretariat, meeting, rows)
    assert page.status_code == 200
    assert "An event asks at most 20 questions." in errors_of(page)
    assert not Question.objects.exists()


def test_a_members_only_event_is_not_opened_to_the_public(django_app, secretariat):
    meeting = MeetingFactory(visibility="members")
    page = open_the_meeting(django_app, secretariat, meeting, [])
    assert "Only a public event can be open to registration without an account." in errors_of(page)
    meeting.refresh_from_db()
    assert meeting.public_registration is False


@pytest.fixture
def full_event():
    """One seat, taken by Ana; Ben waits first, Cleo second."""
    meeting = PublicConferenceFactory(slug="one-seat", capacity=1)
    people = {
        name: UserFactory(first_name=name, email=f"{name.lower()}@example.org")
        for name in ("Ana", "Ben", "Cleo")
    }
    seated = AttendanceFactory(meeting=meeting, user=people["Ana"], answer="in_person")
    for n, name in enumerate(("Ben", "Cleo"), start=1):
        AttendanceFactory(
            meeting=meeting,
            user=people[name],
            answer="in_person",
            waitlisted=True,
            answered_at=seated.answered_at + dt.timedelta(minutes=n),
        )
    return meeting, seated


def waiting_of(meeting) -> list[str]:
    return list(
        meeting.attendances.filter(waitlisted=True).values_list("user__first_name", flat=True)
    )


def test_deleting_a_seated_participant_gives_the_seat_to_the_first_waiting(
    admin_client, full_event, django_capture_on_commit_callbacks
):
    meeting, seated = full_event
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{PARTICIPANTS}{seated.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert waiting_of(meeting) == ["Cleo"]
    ben = meeting.attendances.get(user__first_name="Ben")
    assert (ben.answer, ben.waitlisted) == ("in_person", False)
    seat_email = Notification.objects.get(meeting=meeting, kind="seat")
    assert seat_email.person == ben.user


def test_deleting_participants_from_the_list_gives_their_seats_to_those_waiting(
    django_app, secretariat, full_event
):
    meeting, seated = full_event
    url = f"{PARTICIPANTS}?meeting__id__exact={meeting.pk}"
    confirm = changelist_action(django_app, url, "delete_selected", [seated], secretariat)
    form_with(confirm, "post").submit()
    assert waiting_of(meeting) == ["Cleo"]
