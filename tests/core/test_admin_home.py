"""The admin's home page puts the secretariat's work first; the review queue says what
it is for."""

import pytest
from bs4 import BeautifulSoup

from practices.models import Practice
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_secretariats_work_in_its_order(client_for, secretariat):
    page = BeautifulSoup(client_for(secretariat).get("/admin/").content, "html.parser")
    apps = [caption.get_text(strip=True) for caption in page.select("#content-main caption")]
    assert apps[:6] == [
        "Meetings and working groups",
        "Best practices",
        "People and roles",
        "Regions and partners",
        "Email (delivery log)",
        "Email received (answers, bounces)",
    ]
    practices = page.select_one("#content-main .app-practices")
    first = practices.select("th a")[0].get_text(strip=True)
    assert first == "Practices to review"


def test_the_review_queue_says_what_to_do_and_counts_in_words(client_for, secretariat, region):
    PracticeFactory.create_batch(2, region=region, status=Practice.Status.SUBMITTED)
    page = BeautifulSoup(
        client_for(secretariat).get("/admin/practices/practicereview/").content, "html.parser"
    )
    assert page.h1.get_text(strip=True) == (
        "Review queue: open a practice to read it, then publish or return it"
    )
    assert "2 practices to review" in page.get_text(" ", strip=True)


@pytest.mark.parametrize(
    "language, path, title",
    [
        ("en", "meetings/meeting", "Meetings"),
        ("en", "regions/region", "Regions"),
        ("en", "accounts/user", "People"),
        ("de", "meetings/meeting", "Sitzungen"),
        ("fr", "meetings/meeting", "Réunions"),
        ("sk", "regions/region", "Regióny"),
    ],
)
def test_a_list_is_titled_by_what_it_holds_in_the_readers_language(
    client_for, secretariat, language, path, title
):
    secretariat.language = language
    secretariat.save()
    page = BeautifulSoup(client_for(secretariat).get(f"/admin/{path}/").content, "html.parser")
    assert page.h1.get_text(strip=True) == title
    assert page.title.get_text(strip=True).startswith(f"{title} | ")


def test_the_delivery_log_keeps_its_own_title(client_for, secretariat):
    page = BeautifulSoup(
        client_for(secretariat).get("/admin/notifications/notification/").content,
        "html.parser",
    )
    assert page.h1.get_text(strip=True) == (
        "Delivery log: every email the portal sent or will send"
    )


def test_the_home_page_names_every_app_of_the_portal_in_the_readers_language(
    client_for, secretariat
):
    secretariat.language = "de"
    secretariat.save()
    page = BeautifulSoup(client_for(secretariat).get("/admin/").content, "html.parser")
    apps = [caption.get_text(strip=True) for caption in page.select("#content-main caption")]
    assert apps[2:6] == [
        "Personen und Rollen",
        "Regionen und Partner",
        "E-Mail (Versandprotokoll)",
        "Empfangene E-Mails (Antworten, Unzustellbares)",
    ]
    people = page.select_one("#content-main .app-accounts th a").get_text(strip=True)
    assert people == "Personen"
