"""What proxies and browsers may keep: nothing of a member's, and no public file for long."""

import pytest
from django.core.files.base import ContentFile

from practices.models import Attachment
from tests.factories.meetings import AgendaItemFactory, MeetingFactory, WorkingGroupFactory
from tests.factories.practices import PublishedPracticeFactory

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def _attachment(practice) -> Attachment:
    attachment = Attachment(
        practice=practice,
        original_name="plan.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=10,
    )
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4 plan"), save=False)
    attachment.save()
    return attachment


@pytest.mark.parametrize(
    "path", ["/", "/meetings/", "/practices/", "/regions/", "/accounts/profile/"]
)
def test_every_page_a_member_gets_is_private(client_for, member, path):
    assert "private" in cache_control(client_for(member).get(path))


def test_a_visitors_page_is_not_marked_private(client):
    assert "private" not in cache_control(client.get("/meetings/"))


def test_a_members_meeting_page_with_the_online_link_is_never_stored(client_for, member):
    meeting = MeetingFactory(online_link="https://meet.example.org/room")
    response = client_for(member).get(meeting.get_absolute_url())
    assert {"private", "no-store"} <= cache_control(response)


def test_a_members_calendar_file_with_the_online_link_is_never_stored(client_for, member):
    meeting = MeetingFactory(online_link="https://meet.example.org/room")
    response = client_for(member).get(f"/meetings/{meeting.slug}/calendar.ics")
    assert {"private", "no-store"} <= cache_control(response)


def test_a_working_groups_member_list_is_never_stored(client_for, member):
    WorkingGroupFactory(code="WG4", members=[member])
    assert "no-store" in cache_control(client_for(member).get("/groups/WG4/"))


def test_the_personal_feed_is_private(client_for, member):
    response = client_for(None).get(f"/calendar/{member.calendar_token}.ics")
    assert "private" in cache_control(response)


def test_a_members_only_agenda_document_is_private(client_for, member):
    meeting = MeetingFactory(visibility="members")
    item = AgendaItemFactory(meeting=meeting, document=ContentFile(b"%PDF-1.4", name="s.pdf"))
    response = client_for(member).get(f"/meetings/{meeting.slug}/documents/{item.pk}/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_public_attachment_is_revalidated_on_every_use(client, region):
    attachment = _attachment(PublishedPracticeFactory(region=region))
    response = client.get(attachment.get_absolute_url())
    assert "no-cache" in cache_control(response)
    assert not any(
        part.startswith("max-age=") and part != "max-age=0" for part in cache_control(response)
    )


def test_an_unchanged_public_attachment_answers_304(client, region):
    attachment = _attachment(PublishedPracticeFactory(region=region))
    etag = client.get(attachment.get_absolute_url())["ETag"]
    response = client.get(attachment.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_a_deleted_public_attachment_is_gone_when_a_cache_asks_again(client, region):
    attachment = _attachment(PublishedPracticeFactory(region=region))
    url = attachment.get_absolute_url()
    etag = client.get(url)["ETag"]
    attachment.delete()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_a_public_agenda_document_is_revalidated_on_every_use(client):
    meeting = MeetingFactory()
    item = AgendaItemFactory(meeting=meeting, document=ContentFile(b"%PDF-1.4", name="s.pdf"))
    response = client.get(f"/meetings/{meeting.slug}/documents/{item.pk}/")
    assert "no-cache" in cache_control(response)
    assert "ETag" in response
