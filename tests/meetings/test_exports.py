"""The participants of an event as the secretariat takes them away from the meeting's admin
page: CSV and XLSX with everyone's answers to the event's questions, a PDF attendance
sheet to sign and PDF name badges; a conference with guests and members, and another
event whose participants stay out."""

import csv
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from accounts import services as account_services
from accounts.permissions import can_export_participants
from meetings import badges, exports
from meetings.models import Attendance, Meeting
from tests.adminpages import changelist_action
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    BRUSSELS,
    AttendanceFactory,
    MeetingFactory,
    PublicConferenceFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

LIST = "/admin/meetings/meeting/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def conference():
    return PublicConferenceFactory(
        title="ASA conference 2027",
        slug="asa-2027",
        start=at(18, 9),
        end=at(18, 17),
        venue="Résidence Palace",
        address="Rue de la Loi 155, Brussels",
    )


@pytest.fixture
def questions(conference):
    return {
        "diet": QuestionFactory(meeting=conference, position=1, text="Dietary needs"),
        "workshop": QuestionFactory(
            meeting=conference,
            position=2,
            text="Which afternoon workshop?",
            kind="choice",
            options="Skills\nDigital\nGreen",
        ),
        "hotel": QuestionFactory(
            meeting=conference, position=3, text="Do you need a hotel?", kind="yes_no"
        ),
        "topics": QuestionFactory(
            meeting=conference,
            position=4,
            text="Topics of interest",
            kind="choices",
            options="Batteries\nSoftware\nHydrogen",
        ),
    }


def person(first, last, organisation="", country="", guest=False, **more):
    return UserFactory(
        first_name=first,
        last_name=last,
        organisation=organisation,
        country=country,
        is_guest=guest,
        email=f"{first.lower()}@example.org",
        **more,
    )


@pytest.fixture
def people(conference, questions):
    """A guest who came, a member online, one waiting, one who declined; and someone of
    another event."""
    q = {name: str(question.pk) for name, question in questions.items()}
    zoltan = AttendanceFactory(
        meeting=conference,
        user=person("Zoltán", "Őry", "Győr Automotive Cluster", "HU", guest=True),
        answer=Attendance.Answer.IN_PERSON,
        answered_at=at(1, 10, 5),
        checked_in_at=at(18, 8, 52),
        responses={q["diet"]: "Vegetarian", q["workshop"]: "Skills", q["hotel"]: True},
    )
    anna = AttendanceFactory(
        meeting=conference,
        user=person("Anna", "Berg", "Volvo Cars", "SE"),
        answer=Attendance.Answer.ONLINE,
        answered_at=at(2, 14, 30),
        responses={q["hotel"]: False, q["topics"]: ["Software", "Hydrogen"]},
    )
    bert = AttendanceFactory(
        meeting=conference,
        user=person("Bert", "Kovač", "TUKE", "SK", guest=True),
        answer=Attendance.Answer.IN_PERSON,
        waitlisted=True,
        answered_at=at(3, 9),
    )
    lena = AttendanceFactory(
        meeting=conference,
        user=person("Lena", "Zeman", "Škoda Auto", "CZ"),
        answer=Attendance.Answer.DECLINED,
        answered_at=at(4, 9),
    )
    other = AttendanceFactory(
        meeting=MeetingFactory(title="WG4 spring meeting"),
        user=person("Otto", "Other", "Elsewhere GmbH", "DE"),
        answer=Attendance.Answer.IN_PERSON,
    )
    return {"zoltan": zoltan, "anna": anna, "bert": bert, "lena": lena, "other": other}


@pytest.fixture
def admin_client(client_for, secretariat):
    return client_for(secretariat)


def get_csv(admin_client, meeting) -> list[dict]:
    response = admin_client.get(f"{LIST}{meeting.pk}/participants.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="{meeting.slug}-participants.csv"'
    )
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def get_xlsx(admin_client, meeting):
    response = admin_client.get(f"{LIST}{meeting.pk}/participants.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response.content


def sheet_rows(content: bytes) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


# -- CSV -------------------------------------------------------------------------------


def test_the_csv_lists_each_answer_with_organisation_country_guest_or_member_and_came(
    admin_client, conference, people
):
    rows = get_csv(admin_client, conference)
    details = [
        (
            r["email"],
            r["name"],
            r["organisation"],
            r["country"],
            r["guest or member"],
            r["answer"],
            r["answered at"],
            r["came"],
            r["checked in at"],
        )
        for r in rows
    ]
    assert details == [
        (
            "zoltán@example.org",
            "Zoltán Őry",
            "Győr Automotive Cluster",
            "Hungary",
            "guest",
            "In person",
            "2027-03-01 10:05",
            "yes",
            "2027-03-18 08:52",
        ),
        (
            "anna@example.org",
            "Anna Berg",
            "Volvo Cars",
            "Sweden",
            "member",
            "Online",
            "2027-03-02 14:30",
            "no",
            "",
        ),
        (
            "bert@example.org",
            "Bert Kovač",
            "TUKE",
            "Slovakia",
            "guest",
            "In person (waiting list)",
            "2027-03-03 09:00",
            "no",
            "",
        ),
        (
            "lena@example.org",
            "Lena Zeman",
            "Škoda Auto",
            "Czechia",
            "member",
            "Declined",
            "2027-03-04 09:00",
            "no",
            "",
        ),
    ]
    assert {r["meeting"] for r in rows} == {"ASA conference 2027"}
    assert {r["start"] for r in rows} == {"2027-03-18 09:00"}


def test_the_csv_has_a_column_per_question_with_each_answer_written_out(
    admin_client, conference, people
):
    rows = get_csv(admin_client, conference)
    asked = ["Dietary needs", "Which afternoon workshop?", "Do you need a hotel?"]
    asked.append("Topics of interest")
    assert list(rows[0])[-4:] == asked
    answers = {r["name"]: [r[question] for question in asked] for r in rows}
    assert answers == {
        "Zoltán Őry": ["Vegetarian", "Skills", "Yes", ""],
        "Anna Berg": ["", "", "No", "Software, Hydrogen"],
        "Bert Kovač": ["", "", "", ""],
        "Lena Zeman": ["", "", "", ""],
    }


def test_the_csv_of_one_event_leaves_out_the_participants_of_another(
    admin_client, conference, people
):
    names = {r["name"] for r in get_csv(admin_client, conference)}
    assert "Otto Other" not in names
    other = people["other"].meeting
    assert [r["name"] for r in get_csv(admin_client, other)] == ["Otto Other"]


def test_a_formula_typed_as_an_answer_is_plain_text_in_the_csv(
    admin_client, conference, questions
):
    AttendanceFactory(
        meeting=conference,
        user=person("=cmd|' /C calc'!A0", "-2+3", "@SUM(A1)"),
        answer=Attendance.Answer.IN_PERSON,
        responses={str(questions["diet"].pk): '=HYPERLINK("http://evil.example")'},
    )
    (row,) = get_csv(admin_client, conference)
    assert row["name"] == "'=cmd|' /C calc'!A0 -2+3"
    assert row["organisation"] == "'@SUM(A1)"
    assert row["Dietary needs"] == '\'=HYPERLINK("http://evil.example")'


def test_a_question_that_begins_like_a_formula_is_a_plain_text_heading(admin_client, conference):
    QuestionFactory(meeting=conference, text="=1+1 people with you?")
    AttendanceFactory(meeting=conference, answer=Attendance.Answer.ONLINE)
    (row,) = get_csv(admin_client, conference)
    assert "'=1+1 people with you?" in row


def test_the_csv_action_over_two_events_names_each_events_questions(
    django_app, secretariat, conference, people
):
    visit = PublicConferenceFactory(title="Study visit Košice", start=at(25, 9), end=at(25, 17))
    QuestionFactory(meeting=visit, text="Dietary needs")
    response = changelist_action(
        django_app, LIST, "export_participants", [conference, visit], secretariat
    )
    header = next(csv.reader(io.StringIO(response.text)))
    assert header[-5:] == [
        "Dietary needs (ASA conference 2027)",
        "Which afternoon workshop? (ASA conference 2027)",
        "Do you need a hotel? (ASA conference 2027)",
        "Topics of interest (ASA conference 2027)",
        "Dietary needs (Study visit Košice)",
    ]


def test_an_export_of_more_meetings_than_allowed_is_refused_with_a_message(
    django_app, secretariat, monkeypatch
):
    monkeypatch.setattr(exports, "MAX_MEETINGS", 2)
    meetings = MeetingFactory.create_batch(3)
    page = changelist_action(django_app, LIST, "export_participants_xlsx", meetings, secretariat)
    page = page.follow()
    assert "Export at most 2 meetings at once (3 were selected)" in page.text


# -- XLSX ------------------------------------------------------------------------------


def test_the_xlsx_holds_the_same_rows_with_dates_as_dates(admin_client, conference, people):
    rows = sheet_rows(get_xlsx(admin_client, conference))
    assert rows[0] == [
        "meeting",
        "start",
        "email",
        "name",
        "organisation",
        "country",
        "guest or member",
        "answer",
        "answered at",
        "came",
        "checked in at",
        "Dietary needs",
        "Which afternoon workshop?",
        "Do you need a hotel?",
        "Topics of interest",
    ]
    assert rows[1] == [
        "ASA conference 2027",
        dt.datetime(2027, 3, 18, 9, 0),
        "zoltán@example.org",
        "Zoltán Őry",
        "Győr Automotive Cluster",
        "Hungary",
        "guest",
        "In person",
        dt.datetime(2027, 3, 1, 10, 5),
        "yes",
        dt.datetime(2027, 3, 18, 8, 52),
        "Vegetarian",
        "Skills",
        "Yes",
        None,
    ]
    assert [row[3] for row in rows[1:]] == ["Zoltán Őry", "Anna Berg", "Bert Kovač", "Lena Zeman"]
    assert rows[2][-1] == "Software, Hydrogen"


def test_the_xlsx_header_stays_in_view_and_filters(admin_client, conference, people):
    sheet = openpyxl.load_workbook(io.BytesIO(get_xlsx(admin_client, conference))).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O5"
    assert sheet.title == "Participants"


def test_a_name_like_a_formula_is_text_in_the_xlsx_never_a_formula(admin_client, conference):
    AttendanceFactory(
        meeting=conference,
        user=person("=cmd|' /C calc'!A0", "Evil", '=HYPERLINK("http://evil.example")'),
        answer=Attendance.Answer.IN_PERSON,
    )
    content = get_xlsx(admin_client, conference)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    name, organisation = sheet["D2"], sheet["E2"]
    assert name.value == "=cmd|' /C calc'!A0 Evil"
    assert organisation.value == '=HYPERLINK("http://evil.example")'
    assert name.data_type == organisation.data_type == "s"
    xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_control_characters_in_an_answer_do_not_break_the_xlsx(
    admin_client, conference, questions
):
    AttendanceFactory(
        meeting=conference,
        user=person("Anna", "Berg"),
        answer=Attendance.Answer.ONLINE,
        responses={str(questions["diet"].pk): "no\x0bnuts\x1f"},
    )
    rows = sheet_rows(get_xlsx(admin_client, conference))
    assert rows[1][11] == "nonuts"


# -- the attendance sheet -----------------------------------------------------------------


def test_the_attendance_sheet_lists_those_with_a_place_by_last_name(
    admin_client, conference, people
):
    for first, last in [("Čeněk", "Čapek"), ("Antonín", "Dvořák")]:
        AttendanceFactory(
            meeting=conference,
            user=person(first, last, "Brose", "CZ"),
            answer=Attendance.Answer.IN_PERSON,
        )
    response = admin_client.get(f"{LIST}{conference.pk}/attendance-sheet.pdf")
    (text,) = pdf_pages(response)
    assert "ASA conference 2027" in text
    assert "Thu 18 March 2027, 09:00–17:00 (Brussels time)" in text
    assert "Résidence Palace, Rue de la Loi 155, Brussels · online" in text
    assert "4 participants (3 in person, 1 online)" in text
    # Č beside C and Ő beside O, as people look themselves up; not after Z.
    names = ["Berg, Anna", "Čapek, Čeněk", "Dvořák, Antonín", "Őry, Zoltán"]
    assert [text.index(name) for name in names] == sorted(text.index(name) for name in names)
    for absent in ("Kovač", "Zeman", "Other"):  # waiting, declined, another event
        assert absent not in text
    assert "Győr Automotive Cluster" in text and "Hungary" in text
    assert (
        response["Content-Disposition"] == 'attachment; filename="asa-2027-attendance-sheet.pdf"'
    )


def test_the_attendance_sheet_repeats_its_header_on_every_page(admin_client, conference):
    for n in range(60):
        AttendanceFactory(
            meeting=conference,
            user=person(f"First{n:02d}", f"Last{n:02d}", "Organisation", "BE"),
            answer=Attendance.Answer.IN_PERSON,
        )
    pages = pdf_pages(admin_client.get(f"{LIST}{conference.pk}/attendance-sheet.pdf"))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Name" in page and "Organisation" in page and "Signature" in page
        assert "ASA conference 2027" in page
        assert f"Page {number}" in page
    assert "Last59, First59" in pages[-1]


def test_hostile_and_very_long_names_are_printed_as_typed(admin_client, conference):
    AttendanceFactory(
        meeting=conference,
        user=person("<script>alert(1)</script>", "=cmd|' /C calc'!A0", "<b>Bold</b> & Co"),
        answer=Attendance.Answer.IN_PERSON,
    )
    AttendanceFactory(
        meeting=conference,
        user=person("Maria", "Musterfrau-Beispielhaft" * 6, "Ministerium " * 16),
        answer=Attendance.Answer.IN_PERSON,
    )
    text = "".join(pdf_pages(admin_client.get(f"{LIST}{conference.pk}/attendance-sheet.pdf")))
    assert "<script>alert(1)</script>" in text
    assert "=cmd|' /C calc'!A0" in text
    assert "<b>Bold</b> & Co" in text
    assert "Maria" in text


def test_closed_accounts_are_on_neither_the_sheet_nor_the_badges(admin_client, conference, people):
    account_services.account_close(user=people["anna"].user)
    sheet = "".join(pdf_pages(admin_client.get(f"{LIST}{conference.pk}/attendance-sheet.pdf")))
    assert "1 participant" in sheet and "2 participants" not in sheet
    assert "former member" not in sheet and "closed.invalid" not in sheet
    assert "Őry, Zoltán" in sheet


# -- the badges ---------------------------------------------------------------------------


def test_badges_are_for_those_seated_in_person_eight_a_page(admin_client, conference, people):
    for n in range(8):
        AttendanceFactory(
            meeting=conference,
            user=person(f"Guest{n}", f"Name{n}", "Organisation", "BE", guest=True),
            answer=Attendance.Answer.IN_PERSON,
        )
    response = admin_client.get(f"{LIST}{conference.pk}/badges.pdf")
    pages = pdf_pages(response)
    assert len(pages) == 2  # nine people
    text = "".join(pages)
    assert "Zoltán Őry" in text and "Guest7 Name7" in text
    for absent in ("Anna", "Bert", "Lena", "Otto"):  # online, waiting, declined, elsewhere
        assert absent not in text
    assert "Győr Automotive Cluster" in pages[1] and "Hungary" in pages[1]
    assert "ASA conference 2027 · 18 March 2027" in pages[0]
    assert response["Content-Disposition"] == 'attachment; filename="asa-2027-badges.pdf"'


@pytest.mark.parametrize(
    "name",
    [
        "Anna Berg",
        "Maria Musterfrau-Beispielhaft von Hohenzollern-Sigmaringen",
        "Hubertus " * 20,
        "X" * 300,
    ],
    ids=["short", "long", "many words", "one long word"],
)
def test_a_name_on_a_badge_stays_inside_its_box(name):
    badges._register_fonts()
    width = badges.WIDTH - 2 * badges.PADDING
    box = badges._fitted(
        name, "name", badges.NAME_SIZES, width, badges.NAME_HEIGHT, fontName=badges.BOLD
    )
    used_width, used_height = box.wrapOn(Canvas(io.BytesIO()), width, badges.NAME_HEIGHT)
    assert used_width <= width
    assert used_height <= badges.NAME_HEIGHT


def test_a_short_name_is_set_large_and_a_long_one_smaller():
    badges._register_fonts()
    width = badges.WIDTH - 2 * badges.PADDING

    def size(name):
        return badges._fitted(
            name, "name", badges.NAME_SIZES, width, badges.NAME_HEIGHT, fontName=badges.BOLD
        ).style.fontSize

    assert size("Anna Berg") == 26
    # At 14 pt it would take four lines, more than its box.
    assert size("Maria Musterfrau-Beispielhaft von Hohenzollern-Sigmaringen") == 12


def test_too_many_names_for_one_pdf_are_refused_with_a_message(
    django_app, secretariat, conference, people, monkeypatch
):
    monkeypatch.setattr(exports, "MAX_PRINTED", 1)
    url = f"{LIST}{conference.pk}/attendance-sheet.pdf"
    page = django_app.get(url, user=secretariat).follow()
    assert "2 participants are too many for one PDF (at most 1)" in page.text
    assert page.request.path == f"{LIST}{conference.pk}/change/"


# -- who, and at what cost ----------------------------------------------------------------


def test_only_the_secretariat_may_export_participants(secretariat, member, representative):
    assert can_export_participants(secretariat) is True
    assert can_export_participants(member) is False
    assert can_export_participants(representative) is False


def test_the_export_itself_refuses_whoever_may_not_export(rf, member, conference):
    # Behind the admin's own check (only the secretariat enters), the view asks again.
    request = rf.get(f"{LIST}{conference.pk}/participants.csv")
    request.user = member
    meeting_admin = admin.site._registry[Meeting]
    with pytest.raises(PermissionDenied):
        meeting_admin.export_view(request, conference.pk, export="csv")
    assert meeting_admin.export_links(request, conference.pk) == []


@pytest.mark.parametrize(
    "export", ["participants.csv", "participants.xlsx", "attendance-sheet.pdf", "badges.pdf"]
)
def test_a_member_is_sent_to_the_admin_sign_in_for_an_export(
    client_for, member, conference, export
):
    response = client_for(member).get(f"{LIST}{conference.pk}/{export}")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "export", ["participants.csv", "participants.xlsx", "attendance-sheet.pdf", "badges.pdf"]
)
def test_each_export_costs_the_same_queries_for_many_participants(
    admin_client, conference, questions, export, django_assert_max_num_queries
):
    AttendanceFactory(meeting=conference, answer=Attendance.Answer.IN_PERSON)
    url = f"{LIST}{conference.pk}/{export}"
    with django_assert_max_num_queries(20) as few:
        assert admin_client.get(url).status_code == 200
    for n in range(25):
        AttendanceFactory(
            meeting=conference,
            user=person(f"P{n}", f"Q{n}", guest=n % 2 == 0),
            answer=Attendance.Answer.IN_PERSON if n % 3 else Attendance.Answer.ONLINE,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_an_unknown_meeting_has_no_export(admin_client):
    assert admin_client.get(f"{LIST}999999/badges.pdf").status_code == 404
