"""/privacy/ says, in plain words, what the portal keeps, why, for how long (the periods
the nightly removal follows, read from the settings) and who sees it."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_page_says_each_period_as_set_by_default(client):
    text = client.get("/privacy/").text
    assert "An entry of the log is deleted 730 days after it was made" in text
    assert "The message itself is deleted 90 days after it came" in text
    assert "and it is deleted 30 days later" in text
    assert "once it expires, 14 days after you signed in" in text


def test_the_page_follows_the_settings(client, settings):
    settings.RETENTION_OUTBOX_DAYS = 365
    settings.RETENTION_INBOUND_RAW_DAYS = 1
    settings.RETENTION_SIGNIN_ATTEMPTS_DAYS = 7
    text = client.get("/privacy/").text
    assert "An entry of the log is deleted 365 days after it was made" in text
    assert "The message itself is deleted 1 day after it came" in text
    assert "and it is deleted 7 days later" in text


def test_the_page_leads_to_the_persons_own_page_and_profile(client):
    text = client.get("/privacy/").text
    assert 'On <a href="/me/">your page</a> you can download' in text
    assert 'Your <a href="/accounts/profile/">profile</a> says which emails you get.' in text


def test_the_page_names_the_secretariats_address(client, settings):
    settings.SECRETARIAT_EMAIL = "meetings@asa.example.org"
    text = client.get("/privacy/").text
    assert '<a href="mailto:meetings@asa.example.org">meetings@asa.example.org</a>' in text


def test_the_page_reads_in_the_visitors_language(client):
    text = client.get("/privacy/", headers={"accept-language": "de"}).text
    assert "Ein Eintrag des Protokolls wird 730 Tage nach seiner Anlage gelöscht" in text


def test_a_visitor_reads_the_page_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/privacy/").status_code == 200


def test_every_page_links_to_the_privacy_page_in_its_footer(client, member, client_for):
    assert 'href="/privacy/">Privacy</a>' in client.get("/").text
    assert 'href="/privacy/">Privacy</a>' in client_for(member).get("/me/").text


def test_the_page_says_what_a_registration_keeps_and_for_how_long(client):
    text = client.get("/privacy/").text
    assert "your answers to the event's questions (such as dietary or accessibility" in text
    assert "is not confirmed is deleted 24 hours after it was made." in text
    assert "questions are deleted 90 days after the end of your last event" in text
    assert "A member's answers to an event's questions are deleted 90 days after" in text


def test_the_registration_periods_follow_the_settings(client, settings):
    settings.REGISTRATION_CONFIRM_HOURS = 1
    settings.RETENTION_GUEST_DAYS = 30
    text = client.get("/privacy/").text
    assert "is not confirmed is deleted 1 hour after it was made." in text
    assert "are deleted 30 days after the end of your last event" in text
    assert "questions are deleted 30 days after the event" in text


def test_the_page_says_only_those_who_run_the_servers_see_failed_sign_ins(client):
    text = client.get("/privacy/").text
    assert "Only those who run the portal's servers see these records." in text
    assert (
        "The secretariat can lift the pause that failed sign-ins cause, so that you can sign "
        "in again at once: it learns only whether there were any, not the addresses or "
        "browsers." in text
    )
    assert "Only the secretariat sees it" not in text
