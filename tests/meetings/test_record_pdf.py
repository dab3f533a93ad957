"""The agenda as a PDF: drawn server-side, it reads like the page and
is shown to whoever may see the meeting, no one else."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from meetings.models import AgendaItem, Meeting
from tests.factories.meetings import (
    AgendaItemFactory,
    MeetingFactory,
    WorkingGroupFactory,
    in_days,
)
from tests.factories.practices import PublishedPracticeFactory
from tests.factories.regions import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def meeting():
    meeting = MeetingFactory(
        slug="wg4-2024",
        title="WG4 Regional Implementation meeting",
        working_group=WorkingGroupFactory(code="WG4", name="Regional Implementation"),
        partners=[PartnerFactory(acronym="CORAI", name="Automotive regions alliance")],
    )
    stuttgart = RegionFactory(name="Stuttgart", slug="stuttgart")
    practice = PublishedPracticeFactory(title="The transformation network", region=stuttgart)
    for position, (title, presenters, region, kind) in enumerate(
        [
            ("Welcome and introduction", "ASA secretariat", None, "welcome"),
            ("Best practice from Stuttgart", "Anna Weber", stuttgart, "showcase"),
            ("Coffee break", "", None, "break"),
            ("Open discussion", "All participants", None, "discussion"),
        ],
        start=1,
    ):
        AgendaItemFactory(
            meeting=meeting,
            position=position,
            title=title,
            presenters=presenters,
            presenting_region=region,
            kind=kind,
            showcased_practice=practice if region else None,
        )
    return meeting


def test_the_agenda_pdf_lists_the_items_in_order_with_their_times(meeting, client):
    text = pdf_text(client.get("/meetings/wg4-2024/agenda.pdf"))
    titles = [
        "Welcome and introduction",
        "Best practice from Stuttgart",
        "Coffee break",
        "Open discussion",
    ]
    places = [text.index(title) for title in titles]
    assert places == sorted(places)
    assert "10:00–10:15" in text and "10:45–11:00" in text


def test_the_agenda_pdf_reads_like_the_page(meeting, client):
    text = pdf_text(client.get("/meetings/wg4-2024/agenda.pdf"))
    assert "WG4 Regional Implementation meeting" in text
    assert "(Brussels time)" in text  # when, as the page says it
    assert "Maison des Régions, Rue Montoyer 10, Brussels" in text
    assert "Anna Weber, Stuttgart" in text  # presenters and their region
    assert "Best practice: The transformation network" in text
    assert "CORAI (Automotive regions alliance)" in text
    assert "Times in Brussels time" in text


def test_the_agenda_pdf_never_carries_the_online_link(meeting, client_for, member):
    text = pdf_text(client_for(member).get("/meetings/wg4-2024/agenda.pdf"))
    assert meeting.online_link not in text
    assert "link to join on the meeting page" in text


def test_the_agenda_pdf_keeps_the_letters_of_every_member_country(client):
    meeting = MeetingFactory(slug="letters", title="Łódź, Győr, Ostrava–Třinec, Göteborg")
    AgendaItemFactory(meeting=meeting, title="Košice and Žilina", presenters="Ewa Wąsowska")
    text = pdf_text(client.get("/meetings/letters/agenda.pdf"))
    assert "Łódź, Győr, Ostrava–Třinec, Göteborg" in text
    assert "Ewa Wąsowska" in text


def test_typed_markup_is_printed_as_text(client):
    meeting = MeetingFactory(slug="markup")
    AgendaItemFactory(meeting=meeting, title="Tools <b>& tips</b>")
    assert "Tools <b>& tips</b>" in pdf_text(client.get("/meetings/markup/agenda.pdf"))


def test_a_long_agenda_runs_onto_more_pages(client):
    meeting = MeetingFactory(slug="long", start=in_days(9), end=in_days(10, 20))
    for n in range(80):
        AgendaItemFactory(meeting=meeting, title=f"Item number {n}", duration_minutes=20)
    response = client.get("/meetings/long/agenda.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 1
    assert "Item number 79" in reader.pages[-1].extract_text()
    # The timetable's header is repeated on each page.
    assert "Presented by" in reader.pages[-1].extract_text()


def test_each_page_of_the_agenda_pdf_names_the_site_and_its_number(client, settings):
    settings.SITE_URL = "https://portal.example.org"
    meeting = MeetingFactory(slug="long", start=in_days(9), end=in_days(10, 20))
    for n in range(80):
        AgendaItemFactory(meeting=meeting, title=f"Item number {n}", duration_minutes=20)
    reader = PdfReader(io.BytesIO(client.get("/meetings/long/agenda.pdf").content))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "ASA Portal · https://portal.example.org/meetings/long/" in page
        assert f"Page {number}" in page
    assert reader.metadata.title == f"Agenda: {meeting.title}"


def test_the_pdf_opens_in_the_browser_without_the_pages_csp_even_from_the_cache(meeting, client):
    for _ in range(2):  # made, then served from the page cache
        response = client.get("/meetings/wg4-2024/agenda.pdf")
        assert response["Content-Disposition"] == 'inline; filename="wg4-2024-agenda.pdf"'
        assert "Content-Security-Policy" not in response
        assert response["X-Frame-Options"] == "DENY"


def test_a_meeting_without_an_agenda_says_it_will_follow(client):
    MeetingFactory(slug="empty")
    assert "The agenda will follow." in pdf_text(client.get("/meetings/empty/agenda.pdf"))


def test_the_meeting_page_links_to_its_agenda_pdf(meeting, client):
    assert "/meetings/wg4-2024/agenda.pdf" in client.get("/meetings/wg4-2024/").content.decode()


def test_a_members_only_agenda_is_not_printed_for_visitors(client, client_for, member):
    meeting = MeetingFactory(slug="closed", visibility=Meeting.Visibility.MEMBERS)
    AgendaItemFactory(meeting=meeting, kind=AgendaItem.Kind.WELCOME)
    response = client.get("/meetings/closed/agenda.pdf")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client_for(member).get("/meetings/closed/agenda.pdf").status_code == 200


def test_the_pdf_costs_the_same_queries_for_200_items(
    client_for, member, django_assert_num_queries
):
    client = client_for(member)  # signed in: never served from the page cache
    meeting = MeetingFactory(slug="many", start=in_days(9), end=in_days(9) + dt.timedelta(days=3))
    region = RegionFactory()
    AgendaItemFactory(meeting=meeting, presenting_region=region)
    with CaptureQueriesContext(connection) as once:
        client.get("/meetings/many/agenda.pdf")
    for _ in range(199):
        AgendaItemFactory(
            meeting=meeting,
            presenting_region=region,
            showcased_practice=PublishedPracticeFactory(),
        )
    with django_assert_num_queries(len(once)):
        assert "Item" in pdf_text(client.get("/meetings/many/agenda.pdf"))
