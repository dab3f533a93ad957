import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
    in_days,
)
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory
from tests.factories.regions import PartnerFactory, RegionFactory

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room"


def text(response) -> str:
    return response.content.decode()


# -- list and archive ---------------------------------------------------------------------


def test_the_list_groups_upcoming_meetings_by_quarter(client):
    MeetingFactory(title="Spring meeting", start=dt.datetime(2099, 4, 2, 10, tzinfo=dt.UTC))
    MeetingFactory(title="Winter meeting", start=dt.datetime(2099, 1, 20, 10, tzinfo=dt.UTC))
    page = text(client.get("/meetings/"))
    assert page.index("2099 Q1") < page.index("Winter meeting") < page.index("2099 Q2")
    assert page.index("2099 Q2") < page.index("Spring meeting")


def test_the_list_leaves_out_past_meetings_and_drafts(client):
    MeetingFactory(title="Old one", start=in_days(-10))
    DraftMeetingFactory(title="Secret draft")
    page = text(client.get("/meetings/"))
    assert "Old one" not in page
    assert "Secret draft" not in page


def test_the_list_hides_members_only_meetings_from_visitors(client, client_for, member):
    MeetingFactory(title="Inner circle", visibility=Meeting.Visibility.MEMBERS)
    assert "Inner circle" not in text(client.get("/meetings/"))
    assert "Inner circle" in text(client_for(member).get("/meetings/"))


def test_the_list_filters_by_working_group_in_the_url(client):
    MeetingFactory(title="Four", working_group=WorkingGroupFactory(code="WG4"))
    MeetingFactory(title="Three", working_group=WorkingGroupFactory(code="WG3"))
    page = text(client.get("/meetings/?working_group=WG4"))
    assert "Four" in page
    assert "Three" not in page


def test_the_list_filters_by_format_and_region(client):
    stuttgart = RegionFactory(slug="stuttgart", name="Stuttgart")
    MeetingFactory(title="Plant tour", format=Meeting.Format.IN_PERSON, host_region=stuttgart)
    MeetingFactory(title="Remote talk", format=Meeting.Format.ONLINE, capacity=None)
    page = text(client.get("/meetings/?format=in_person&region=stuttgart"))
    assert "Plant tour" in page
    assert "Remote talk" not in page


def test_every_filter_field_has_a_label(client):
    page = text(client.get("/meetings/"))
    for name in ("working_group", "kind", "format", "region"):
        assert f'<label class="form-label" for="id_{name}">' in page


def test_the_archive_lists_past_meetings_newest_first(client):
    MeetingFactory(title="Older", start=in_days(-30))
    MeetingFactory(title="Newer", start=in_days(-10))
    page = text(client.get("/meetings/past/"))
    assert page.index("Newer") < page.index("Older")


def test_the_archive_is_paginated(client):
    for n in range(25):
        MeetingFactory(title=f"Past {n:02}", start=in_days(-2 - n))
    assert "Page 1 of 2" in text(client.get("/meetings/past/"))
    assert "Past 24" in text(client.get("/meetings/past/?page=2"))


# -- detail -----------------------------------------------------------------------------


def test_the_detail_shows_times_in_the_events_zone(client):
    meeting = MeetingFactory(
        start=dt.datetime(2099, 3, 25, 9, tzinfo=dt.UTC),  # 10:00 in Brussels
        end=dt.datetime(2099, 3, 25, 11, 30, tzinfo=dt.UTC),
    )
    assert "Wed 25 March 2099, 10:00–12:30 (Brussels time)" in text(
        client.get(f"/meetings/{meeting.slug}/")
    )


def test_the_detail_adds_the_viewers_own_time_when_it_differs(client_for, member):
    member.time_zone = "Asia/Tokyo"
    member.save()
    meeting = MeetingFactory(
        start=dt.datetime(2099, 3, 25, 9, tzinfo=dt.UTC),
        end=dt.datetime(2099, 3, 25, 11, 30, tzinfo=dt.UTC),
    )
    page = text(client_for(member).get(f"/meetings/{meeting.slug}/"))
    assert "18:00–20:30 (your time, Tokyo time)" in page


def test_the_online_link_is_for_signed_in_members_only(client, client_for, member):
    meeting = MeetingFactory(online_link=LINK)
    assert LINK not in text(client.get(f"/meetings/{meeting.slug}/"))
    assert LINK in text(client_for(member).get(f"/meetings/{meeting.slug}/"))


def test_participants_are_listed_for_members_only(client, client_for, member):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, user__email="ada@example.org", user__first_name="Ada")
    assert "Ada" not in text(client.get(f"/meetings/{meeting.slug}/"))
    assert "Ada" in text(client_for(member).get(f"/meetings/{meeting.slug}/"))


def test_the_detail_counts_the_answers(client):
    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.IN_PERSON)
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.ONLINE)
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.ONLINE)
    assert "1 in person, 2 online, 0 declined" in text(client.get(f"/meetings/{meeting.slug}/"))


def test_the_agenda_is_a_timetable_with_presenters_and_regions(client):
    meeting = MeetingFactory(start=dt.datetime(2099, 3, 25, 9, tzinfo=dt.UTC))
    AgendaItemFactory(meeting=meeting, position=1, title="Welcome", duration_minutes=10)
    AgendaItemFactory(
        meeting=meeting,
        position=2,
        title="Showcase",
        presenters="Anna Berg",
        presenting_region=RegionFactory(name="Göteborg", slug="goteborg"),
    )
    page = text(client.get(f"/meetings/{meeting.slug}/"))
    assert "10:10–10:25" in page
    assert "Anna Berg, Göteborg" in page


def test_a_published_showcased_practice_is_linked(client):
    meeting = MeetingFactory()
    practice = PublishedPracticeFactory(slug="goteborg-reskilling")
    AgendaItemFactory(meeting=meeting, showcased_practice=practice)
    assert 'href="/practices/goteborg-reskilling/"' in text(
        client.get(f"/meetings/{meeting.slug}/")
    )


def test_an_unpublished_showcased_practice_is_not_linked(client):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting, showcased_practice=PracticeFactory(slug="draft-one"))
    assert "draft-one" not in text(client.get(f"/meetings/{meeting.slug}/"))


def test_the_detail_names_co_organisers_and_host_region(client):
    meeting = MeetingFactory(
        partners=[PartnerFactory(acronym="CORAI")],
        host_region=RegionFactory(name="Košice", slug="kosice"),
    )
    page = text(client.get(f"/meetings/{meeting.slug}/"))
    assert "CORAI" in page
    assert "Košice" in page


def test_a_cancelled_meeting_says_so_at_the_top(client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    page = text(client.get(f"/meetings/{meeting.slug}/"))
    assert page.index("This meeting has been cancelled") < page.index("<h1")


def test_the_detail_links_its_calendar_file(client):
    meeting = MeetingFactory()
    assert f'href="/meetings/{meeting.slug}/calendar.ics"' in text(
        client.get(f"/meetings/{meeting.slug}/")
    )


def test_the_secretariat_may_preview_a_draft(client_for, secretariat):
    meeting = DraftMeetingFactory()
    response = client_for(secretariat).get(f"/meetings/{meeting.slug}/")
    assert "only the secretariat sees this page" in text(response)


def test_a_members_only_meeting_sends_visitors_to_sign_in(client):
    meeting = MeetingFactory(visibility=Meeting.Visibility.MEMBERS)
    response = client.get(f"/meetings/{meeting.slug}/")
    assert response["Location"] == f"/accounts/login/?next=/meetings/{meeting.slug}/"


# -- answering --------------------------------------------------------------------------


def test_a_member_answers_from_the_detail_page(client_for, member):
    meeting = MeetingFactory()
    response = client_for(member).post(
        f"/meetings/{meeting.slug}/", {"answer": "online"}, follow=True
    )
    assert "Your answer has been saved: Online." in text(response)
    assert Attendance.objects.get(meeting=meeting, user=member).answer == "online"


def test_an_answer_after_the_deadline_is_refused_with_a_message(client_for, member):
    meeting = MeetingFactory(registration_deadline=timezone.now() - dt.timedelta(hours=1))
    response = client_for(member).post(
        f"/meetings/{meeting.slug}/", {"answer": "online"}, follow=True
    )
    assert "Answers are closed: the registration deadline has passed." in text(response)
    assert not Attendance.objects.exists()


def test_an_answer_to_a_cancelled_meeting_is_refused_with_a_message(client_for, member):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    response = client_for(member).post(
        f"/meetings/{meeting.slug}/", {"answer": "online"}, follow=True
    )
    assert "Answers are closed: the meeting has been cancelled." in text(response)
    assert not Attendance.objects.exists()


def test_the_answer_form_is_not_offered_after_the_deadline(client_for, member):
    meeting = MeetingFactory(registration_deadline=timezone.now() - dt.timedelta(hours=1))
    page = text(client_for(member).get(f"/meetings/{meeting.slug}/"))
    assert 'name="answer"' not in page
    assert "Answers are closed" in page


def test_an_anonymous_answer_is_sent_to_sign_in(client):
    meeting = MeetingFactory()
    response = client.post(f"/meetings/{meeting.slug}/", {"answer": "online"})
    assert response["Location"].startswith("/accounts/login/")
    assert not Attendance.objects.exists()


# -- working groups, home, profile ------------------------------------------------------


def test_the_group_page_shows_mandate_and_meetings(client):
    group = WorkingGroupFactory(code="WG4", mandate="Regional implementation of the pact.")
    MeetingFactory(title="Coming up", working_group=group)
    MeetingFactory(title="Been there", working_group=group, start=in_days(-20))
    page = text(client.get("/groups/WG4/"))
    assert "Regional implementation of the pact." in page
    assert "Coming up" in page
    assert "Been there" in page


def test_group_members_are_listed_for_members_only(client, client_for, member):
    WorkingGroupFactory(
        code="WG4", members=[member.__class__.objects.create_user("zora@example.org")]
    )
    assert "zora@example.org" not in text(client.get("/groups/WG4/"))
    assert "zora@example.org" in text(client_for(member).get("/groups/WG4/"))


def test_a_group_code_in_lower_case_redirects_to_the_proper_address(client):
    WorkingGroupFactory(code="WG4")
    assert client.get("/groups/wg4/")["Location"] == "/groups/WG4/"


def test_the_home_page_shows_the_next_meetings_and_the_groups(client):
    MeetingFactory(title="Next up", working_group=WorkingGroupFactory(code="WG2", name="Comms"))
    page = text(client.get("/"))
    assert "Next up" in page
    assert "WG2 Comms" in page


def test_the_profile_offers_the_personal_calendar_address(client_for, member):
    page = text(client_for(member).get("/accounts/profile/"))
    assert f"/calendar/{member.calendar_token}.ics" in page


def test_resetting_the_calendar_address_revokes_the_old_one(client_for, member):
    old = member.calendar_token
    client_for(member).post("/calendar/reset/")
    member.refresh_from_db()
    assert member.calendar_token != old
    assert client_for(None).get(f"/calendar/{old}.ics").status_code == 404


def test_pages_have_no_inline_styles_or_scripts(client_for, member):
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    for url in ("/", "/meetings/", f"/meetings/{meeting.slug}/", "/groups/", "/meetings/past/"):
        page = text(client_for(member).get(url))
        assert "style=" not in page, url
        assert "<script>" not in page, url
        assert " onclick=" not in page, url
        assert page.count("<h1") == 1, url


# -- the visitors' cache ----------------------------------------------------------------


def test_a_visitor_sees_a_change_at_once_despite_the_cache(client):
    meeting = MeetingFactory(title="Before")
    assert "Before" in text(client.get(f"/meetings/{meeting.slug}/"))
    meeting.title = "After"
    meeting.save()
    assert "After" in text(client.get(f"/meetings/{meeting.slug}/"))


def test_a_visitor_sees_a_reordered_agenda_at_once(client):
    from meetings.services import agenda_reorder

    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, position=1, title="Alpha item")
    second = AgendaItemFactory(meeting=meeting, position=2, title="Omega item")
    client.get(f"/meetings/{meeting.slug}/")
    agenda_reorder(meeting=meeting, item_ids=[second.pk, first.pk])
    page = text(client.get(f"/meetings/{meeting.slug}/"))
    assert page.index("Omega item") < page.index("Alpha item")


def test_a_cached_visitor_page_costs_no_query(client, django_assert_num_queries):
    meeting = MeetingFactory()
    client.get(f"/meetings/{meeting.slug}/")
    with django_assert_num_queries(0):
        assert client.get(f"/meetings/{meeting.slug}/").status_code == 200


def test_members_never_get_the_visitors_page(client, client_for, member):
    meeting = MeetingFactory(online_link=LINK)
    client.get(f"/meetings/{meeting.slug}/")
    assert LINK in text(client_for(member).get(f"/meetings/{meeting.slug}/"))


def test_visitors_are_invited_to_sign_in_and_answer_an_open_meeting(client):
    meeting = MeetingFactory()
    assert "to answer." in text(client.get(meeting.get_absolute_url()))


def test_visitors_are_not_invited_to_answer_a_past_meeting(client):
    start = timezone.now() - dt.timedelta(days=30)
    meeting = MeetingFactory(start=start, end=start + dt.timedelta(hours=3))
    assert "to answer." not in text(client.get(meeting.get_absolute_url()))


def test_an_agenda_document_downloads_through_the_checked_view(client):
    from django.core.files.base import ContentFile

    meeting = MeetingFactory()
    item = AgendaItemFactory(
        meeting=meeting, document=ContentFile(b"%PDF-1.4 slides", name="slides.pdf")
    )
    page = text(client.get(meeting.get_absolute_url()))
    link = f"/meetings/{meeting.slug}/documents/{item.pk}/"
    assert f'href="{link}"' in page
    assert "/media/" not in page
    response = client.get(link)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"


def test_an_agenda_item_without_a_document_has_no_download(client):
    item = AgendaItemFactory(meeting=MeetingFactory())
    response = client.get(f"/meetings/{item.meeting.slug}/documents/{item.pk}/")
    assert response.status_code == 404
