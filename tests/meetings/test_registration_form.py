"""The public registration form of an event open to the public: who sees it, its
fields, and a refused form that keeps what was typed."""

import pytest
from django.utils import timezone

from meetings.models import Meeting, Registration
from tests.factories.meetings import MeetingFactory
from tests.meetings.registration_helpers import form_data, open_event, register_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return open_event(slug="brussels", title="ASA conference")


def test_a_visitor_gets_the_form_with_every_field_and_the_events_questions(client, meeting):
    response = client.get(register_url(meeting))
    assert response.status_code == 200
    fields = list(response.context["form"].fields)
    assert fields == [
        "first_name",
        "last_name",
        "email",
        "organisation",
        "country",
        "answer",
        f"question_{meeting.diet.pk}",
        f"question_{meeting.workshop.pk}",
        "consent",
    ]
    html = response.content.decode()
    assert "Which afternoon workshop?" in html
    assert 'href="/privacy/"' in html
    assert '<option value="BE">Belgium</option>' in html


def test_the_answers_offered_are_those_of_the_format_without_declining(client, meeting):
    response = client.get(register_url(meeting))
    assert [value for value, _ in response.context["form"].fields["answer"].choices] == [
        "in_person",
        "online",
    ]


def test_an_online_event_offers_online_only(client):
    online = open_event(format=Meeting.Format.ONLINE, venue="", address="")
    response = client.get(register_url(online))
    assert [value for value, _ in response.context["form"].fields["answer"].choices] == ["online"]


def test_the_page_is_kept_by_no_cache(client, meeting):
    response = client.get(register_url(meeting))
    assert "no-store" in response["Cache-Control"]


def test_a_required_question_left_empty_refuses_the_form_and_keeps_what_was_typed(client, meeting):
    data = form_data(meeting, **{f"question_{meeting.workshop.pk}": None})
    response = client.post(register_url(meeting), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [f"question_{meeting.workshop.pk}"]
    html = response.content.decode()
    assert 'value="Claire"' in html
    assert 'value="claire@example.com"' in html
    assert 'value="Vegetarian"' in html
    assert not Registration.objects.exists()


def test_an_option_the_question_does_not_have_is_refused(client, meeting):
    data = form_data(meeting, **{f"question_{meeting.workshop.pk}": "Welding"})
    response = client.post(register_url(meeting), data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"question_{meeting.workshop.pk}"]
    assert not Registration.objects.exists()


def test_without_the_consent_tick_the_form_is_refused_on_that_field(client, meeting):
    response = client.post(register_url(meeting), form_data(meeting, consent=None))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "consent": ["Please agree to the privacy notice to register."]
    }
    assert not Registration.objects.exists()


def test_declining_is_not_a_registration(client, meeting):
    response = client.post(register_url(meeting), form_data(meeting, answer="declined"))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["answer"]


def test_a_name_longer_than_the_field_is_refused(client, meeting):
    response = client.post(register_url(meeting), form_data(meeting, first_name="x" * 151))
    assert list(response.context["form"].errors) == ["first_name"]


def test_a_text_answer_longer_than_500_characters_is_refused(client, meeting):
    data = form_data(meeting, **{f"question_{meeting.diet.pk}": "x" * 501})
    response = client.post(register_url(meeting), data)
    assert list(response.context["form"].errors) == [f"question_{meeting.diet.pk}"]


def test_a_line_break_in_a_name_is_refused(client, meeting):
    response = client.post(register_url(meeting), form_data(meeting, last_name="Dubois\nBcc"))
    assert list(response.context["form"].errors) == ["last_name"]


def test_an_unknown_country_is_refused(client, meeting):
    response = client.post(register_url(meeting), form_data(meeting, country="XX"))
    assert list(response.context["form"].errors) == ["country"]


def test_a_signed_in_member_is_told_to_answer_on_the_events_page(client_for, member, meeting):
    response = client_for(member).get(register_url(meeting))
    assert response.status_code == 200
    assert "form" not in response.context
    assert 'href="/meetings/brussels/"' in response.content.decode()


def test_a_signed_in_member_who_posts_the_form_registers_nobody(client_for, member, meeting):
    response = client_for(member).post(register_url(meeting), form_data(meeting))
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_an_event_not_open_to_the_public_has_no_form(client):
    MeetingFactory(slug="members-event")
    assert client.get("/meetings/members-event/register/").status_code == 404


def test_a_draft_open_to_the_public_has_no_form(client):
    open_event(slug="draft-event", status=Meeting.Status.DRAFT)
    assert client.get("/meetings/draft-event/register/").status_code == 404


def test_a_cancelled_event_says_registration_is_closed(client):
    open_event(slug="gone", status=Meeting.Status.CANCELLED)
    response = client.get("/meetings/gone/register/")
    assert response.status_code == 410
    assert "the meeting has been cancelled" in response.content.decode()


def test_after_the_deadline_registration_is_closed_and_nothing_is_kept(client):
    meeting = open_event(slug="late", registration_deadline=timezone.now())
    response = client.post("/meetings/late/register/", form_data(meeting))
    assert response.status_code == 410
    assert not Registration.objects.exists()


def test_the_events_page_invites_visitors_to_register(client, meeting):
    html = client.get("/meetings/brussels/").content.decode()
    assert 'href="/meetings/brussels/register/"' in html


def test_the_page_of_an_event_not_open_to_the_public_has_no_register_link(client):
    MeetingFactory(slug="members-event")
    html = client.get("/meetings/members-event/").content.decode()
    assert "/register/" not in html


def test_the_events_page_for_a_member_keeps_the_answer_form_and_no_register_link(
    client_for, member, meeting
):
    html = client_for(member).get("/meetings/brussels/").content.decode()
    assert "/register/" not in html
    assert 'name="answer"' in html


def test_responses_clean_returns_the_answers_as_they_are_stored(meeting):
    from meetings.registrations import responses_clean

    data = {f"question_{meeting.workshop.pk}": "Batteries", f"question_{meeting.diet.pk}": " "}
    assert responses_clean(meeting, data) == {str(meeting.workshop.pk): "Batteries"}


def test_responses_clean_refuses_a_required_answer_missing_and_an_unknown_option(meeting):
    from django.core.exceptions import ValidationError

    from meetings.registrations import responses_clean

    with pytest.raises(ValidationError) as missing:
        responses_clean(meeting, {})
    assert list(missing.value.error_dict) == [f"question_{meeting.workshop.pk}"]
    with pytest.raises(ValidationError):
        responses_clean(meeting, {f"question_{meeting.workshop.pk}": "Welding"})


FULL = "All in-person seats are taken. If you register in person, you join the waiting list"


def test_a_full_event_says_before_registering_that_in_person_means_the_waiting_list(client):
    from tests.factories.meetings import AttendanceFactory

    event = open_event(slug="full", capacity=2)
    other = open_event(slug="other", capacity=2)
    AttendanceFactory(meeting=other, answer="in_person")
    AttendanceFactory(meeting=event, answer="in_person")
    AttendanceFactory(meeting=event, answer="online")
    page = client.get(register_url(event)).content.decode()
    assert FULL not in page  # one of two seats taken (the online answer takes none)
    AttendanceFactory(meeting=event, answer="in_person")
    page = client.get(register_url(event)).content.decode()
    assert FULL in page
    assert "You can also take part online." in page  # hybrid


def test_an_event_without_a_limit_is_never_full(client, meeting):
    from tests.factories.meetings import AttendanceFactory

    AttendanceFactory.create_batch(3, meeting=meeting, answer="in_person")
    assert FULL not in client.get(register_url(meeting)).content.decode()
