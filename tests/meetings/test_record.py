"""The record of a meeting: minutes written afterwards, rendered once
and sanitised; members read them with the documents under "Minutes and documents"; the
archive shows which meetings have them; the admin leads to the message to participants."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from meetings.models import MAX_MINUTES_LENGTH, Meeting
from meetings.services import meeting_clone
from tests.adminpages import errors_of, form_with
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, in_days

pytestmark = pytest.mark.django_db

MINUTES = "## Decisions\n\nThe regions share **their** figures.<script>alert(1)</script>"


@pytest.fixture
def past_meeting():
    return MeetingFactory(
        slug="wg4-past", start=in_days(-10), end=in_days(-10, 13), minutes=MINUTES
    )


def test_minutes_are_stored_rendered_and_sanitised_when_the_meeting_is_saved(past_meeting):
    html = past_meeting.minutes_html
    assert "<h3>Decisions</h3>" in html  # under the page's h2 "Minutes and documents"
    assert "<strong>their</strong>" in html
    assert "<script" not in html and "alert(1)" not in html


def test_saving_only_the_minutes_stores_their_rendering_too(past_meeting):
    past_meeting.minutes = "Short *record*."
    past_meeting.save(update_fields=["minutes"])
    past_meeting.refresh_from_db()
    assert "<em>record</em>" in past_meeting.minutes_html


def test_minutes_longer_than_the_cap_are_refused_clearly(past_meeting):
    past_meeting.minutes = "x" * (MAX_MINUTES_LENGTH + 1)
    with pytest.raises(ValidationError) as refusal:
        past_meeting.full_clean()
    assert "minutes" in refusal.value.message_dict


def test_members_read_the_minutes_under_minutes_and_documents(past_meeting, client_for, member):
    page = client_for(member).get(past_meeting.get_absolute_url()).content.decode()
    assert "Minutes and documents" in page
    assert "<strong>their</strong> figures" in page


def test_visitors_are_asked_to_sign_in_to_read_the_minutes(past_meeting, client):
    page = client.get(past_meeting.get_absolute_url()).content.decode()
    assert "Minutes and documents" in page
    assert "sign in</a> to read them" in page
    assert "their</strong> figures" not in page


def test_agenda_documents_are_listed_in_the_record(client):
    meeting = MeetingFactory()
    item = AgendaItemFactory(
        meeting=meeting, title="Slides of Košice", document=ContentFile(b"%PDF-1.4", "k.pdf")
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Minutes and documents" in page
    assert reverse("meetings:document", args=[meeting.slug, item.pk]) in page


def test_a_meeting_without_minutes_or_documents_has_no_record_section(client):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    assert "Minutes and documents" not in client.get(meeting.get_absolute_url()).content.decode()


def test_the_archive_marks_the_past_meetings_that_have_minutes(past_meeting, client):
    MeetingFactory(title="Without a record", start=in_days(-20), end=in_days(-20, 13))
    page = client.get("/meetings/past/").content.decode()
    with_minutes, without = page.split(past_meeting.title, 1)[1], page.split("Without a record")[1]
    assert "Minutes</span>" in with_minutes.split("</li>")[0]
    assert "Minutes</span>" not in without.split("</li>")[0]


def test_a_cloned_meeting_starts_without_the_old_minutes(past_meeting):
    clone = meeting_clone(meeting=past_meeting, new_start=in_days(30))
    assert clone.minutes == "" and clone.minutes_html == ""
    assert Meeting.objects.get(pk=past_meeting.pk).has_minutes


def test_the_history_keeps_the_minutes_but_not_their_rendering(past_meeting):
    record = past_meeting.history.first()
    assert record.minutes == MINUTES
    assert not hasattr(record, "minutes_html")


def test_the_secretariat_writes_the_minutes_in_the_admin(django_app, secretariat, past_meeting):
    page = django_app.get(
        reverse("admin:meetings_meeting_change", args=[past_meeting.pk]), user=secretariat
    )
    form = form_with(page, "minutes")
    form["minutes"] = "## Next steps\n\nStudy visit in [Stuttgart](/meetings/study-visit/)."
    result = form.submit("_continue")
    assert result.status_code == 302, errors_of(result)
    past_meeting.refresh_from_db()
    assert '<a href="/meetings/study-visit/"' in past_meeting.minutes_html


def test_the_meeting_admin_leads_to_the_message_to_participants(
    django_app, secretariat, past_meeting
):
    page = django_app.get(
        reverse("admin:meetings_meeting_change", args=[past_meeting.pk]), user=secretariat
    )
    message = page.click("Send a message to the participants")
    assert message.status_code == 200
    assert "Message to the participants of" in message.text


def test_the_meeting_page_leads_the_secretariat_to_the_minutes_and_the_message(
    django_app, secretariat, past_meeting
):
    page = django_app.get(past_meeting.get_absolute_url(), user=secretariat)
    admin = page.click("Edit in the admin: agenda, minutes and documents")
    assert "minutes" in admin.forms["meeting_form"].fields
    message = page.click("Send a message to the participants")
    assert "Message to the participants of" in message.text


def test_members_get_no_secretariat_links_on_the_meeting_page(past_meeting, client_for, member):
    page = client_for(member).get(past_meeting.get_absolute_url()).content.decode()
    assert "For the secretariat" not in page
    assert "/admin/" not in page
