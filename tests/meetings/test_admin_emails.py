"""The meeting's admin page: who is invited, its emails so far, and times typed in the
event's own zone without the admin's "hours behind server time" note."""

import pytest
from django.utils import timezone

from meetings.admin import MeetingAdmin
from meetings.models import Meeting
from notifications.models import Notification
from tests.adminpages import errors_of, form_with
from tests.factories.accounts import UserFactory
from tests.factories.meetings import DraftMeetingFactory, MeetingFactory, WorkingGroupFactory
from tests.factories.regions import RegionFactory

pytestmark = pytest.mark.django_db

Status = Notification.Status


def change_page(django_app, secretariat, meeting):
    return django_app.get(f"/admin/meetings/meeting/{meeting.pk}/change/", user=secretariat)


def emails(meeting, *statuses, kind=Notification.Kind.INVITATION, person=None):
    for status in statuses:
        Notification.objects.create(
            kind=kind, person=person or UserFactory(), meeting=meeting, status=status
        )


def counts_on(page) -> str:
    shown = page.html.select_one(".field-email_counts .readonly")
    assert shown is not None, "the page shows no email counts"
    return shown.get_text(" ", strip=True)


def progress_on(page) -> list[str]:
    """Each line of the progress as the secretariat reads it."""
    lines = page.html.select(".field-email_counts .email-progress li")
    return [" ".join(line.get_text().split()) for line in lines]


def test_a_published_meetings_page_says_how_far_its_invitations_have_gone(django_app, secretariat):
    meeting = MeetingFactory()
    emails(meeting, *[Status.SENT] * 37, *[Status.QUEUED] * 4, Status.FAILED)
    emails(MeetingFactory(), Status.SENT, Status.FAILED)  # another meeting's
    assert progress_on(change_page(django_app, secretariat, meeting)) == [
        "Invitations: 37 of 42 sent, 4 queued, 1 failed"
    ]


def test_each_kind_of_email_has_its_own_line(django_app, secretariat):
    meeting = MeetingFactory()
    person = UserFactory()
    emails(meeting, Status.SENT, Status.SENT, person=None)
    emails(meeting, Status.QUEUED, kind=Notification.Kind.UPDATE, person=person)
    emails(meeting, Status.SENT, kind=Notification.Kind.REMINDER, person=person)
    assert progress_on(change_page(django_app, secretariat, meeting)) == [
        "Invitations: 2 of 2 sent",
        "Reminders: 1 of 1 sent",
        "Updates: 0 of 1 sent, 1 queued",
    ]


def test_a_public_events_registration_emails_are_named_in_words(django_app, secretariat):
    meeting = MeetingFactory()
    for revision, address in enumerate(("guest.one@example.net", "guest.two@example.net"), 1):
        Notification.objects.create(
            kind=Notification.Kind.REGISTRATION_CONFIRM,
            address=address,
            meeting=meeting,
            status=Status.SENT,
            revision=revision,
        )
    emails(meeting, Status.QUEUED, kind=Notification.Kind.REGISTERED)
    emails(meeting, Status.SENT, kind=Notification.Kind.REGISTRATION_CANCELLED)
    assert progress_on(change_page(django_app, secretariat, meeting)) == [
        "Links to confirm a registration: 2 of 2 sent",
        "Registration confirmations: 0 of 1 sent, 1 queued",
        "Registration cancellations: 1 of 1 sent",
    ]


def test_emails_held_on_purpose_and_bounced_ones_are_said_apart(django_app, secretariat):
    meeting = MeetingFactory()
    bouncing = UserFactory(email_bouncing_since=timezone.now())
    emails(meeting, Status.SENT, Status.SENT, Status.QUEUED, Status.BOUNCED, Status.SKIPPED)
    emails(meeting, Status.QUEUED, person=bouncing)
    assert progress_on(change_page(django_app, secretariat, meeting)) == [
        "Invitations: 2 of 6 sent, 1 queued, 1 bounced after sending, "
        "1 held: no longer needed, 1 held: address bounced"
    ]


def test_the_progress_moves_while_a_send_is_under_way(django_app, secretariat):
    meeting = MeetingFactory()
    emails(meeting, Status.QUEUED, Status.QUEUED, Status.QUEUED)
    assert progress_on(change_page(django_app, secretariat, meeting)) == [
        "Invitations: 0 of 3 sent, 3 queued"
    ]
    Notification.objects.filter(
        pk__in=Notification.objects.filter(meeting=meeting)[:2].values("pk")
    ).update(status=Status.SENT)
    assert progress_on(change_page(django_app, secretariat, meeting)) == [
        "Invitations: 2 of 3 sent, 1 queued"
    ]


def test_the_progress_is_read_in_one_query(django_assert_num_queries, secretariat):
    meeting = MeetingFactory()
    emails(meeting, Status.QUEUED, Status.SENT, Status.FAILED, Status.SKIPPED)
    emails(meeting, Status.SENT, kind=Notification.Kind.UPDATE)
    from django.contrib import admin

    with django_assert_num_queries(1):
        MeetingAdmin(Meeting, admin.site).email_counts(meeting)


@pytest.mark.parametrize(
    ("link", "status", "kind", "count"),
    [
        ("1 failed", "failed", "invitation", 1),
        ("1 of 4 sent", "sent", "invitation", 1),
        ("1 queued", "queued", "invitation", 1),
        ("1 held: no longer needed", "skipped", "invitation", 1),
        ("1 of 1 sent", "sent", "update", 1),
    ],
)
def test_each_figure_links_to_those_emails_in_the_delivery_log(
    django_app, secretariat, link, status, kind, count
):
    meeting = MeetingFactory()
    emails(meeting, Status.FAILED, Status.SENT, Status.QUEUED, Status.SKIPPED)
    emails(meeting, Status.SENT, kind=Notification.Kind.UPDATE)
    emails(MeetingFactory(), Status.FAILED, Status.SENT, Status.QUEUED)  # another meeting's
    log = change_page(django_app, secretariat, meeting).click(description=link)
    assert log.status_code == 200
    assert log.request.GET["status__exact"] == status
    assert log.request.GET["kind__exact"] == kind
    rows = log.html.select("#result_list tbody tr")
    assert len(rows) == count


def test_the_whole_delivery_log_of_the_meeting_is_one_click_away(django_app, secretariat):
    meeting = MeetingFactory()
    emails(meeting, Status.FAILED, Status.SENT)
    emails(MeetingFactory(), Status.SENT)
    log = change_page(django_app, secretariat, meeting).click(description="Delivery log")
    assert len(log.html.select("#result_list tbody tr")) == 2


def test_a_published_meeting_without_emails_says_none_yet(django_app, secretariat):
    page = change_page(django_app, secretariat, MeetingFactory())
    assert counts_on(page) == "None yet."


def test_a_draft_says_no_emails_go_out_before_publishing(django_app, secretariat):
    page = change_page(django_app, secretariat, DraftMeetingFactory())
    assert counts_on(page).startswith("None before publishing")


def test_the_page_links_to_the_invitation_preview_and_the_message_form(django_app, secretariat):
    meeting = MeetingFactory(title="WG4 in Košice")
    page = change_page(django_app, secretariat, meeting)
    preview = page.click(description="Preview the invitation")
    assert "Invitation preview: WG4 in Košice" in preview.text
    message = change_page(django_app, secretariat, meeting).click(
        description="Write to participants"
    )
    assert "Message to the participants of WG4 in Košice" in message.text


def test_who_is_invited_is_one_fieldset_and_saves_as_the_browser_submits_it(
    django_app, secretariat
):
    meeting = DraftMeetingFactory()
    person, region, group = UserFactory(), RegionFactory(), WorkingGroupFactory()
    page = change_page(django_app, secretariat, meeting)
    heading = next(h for h in page.html.select("fieldset h2") if h.get_text() == "Who is invited")
    names = {tag["name"] for tag in heading.find_parent("fieldset").select("[name]")}
    assert {"invitees", "invited_regions", "invited_groups", "invite_all_members"} <= names
    form = form_with(page, "invitees")
    form["invitees"].force_value([str(person.pk)])  # autocompletes: options come by script
    form["invited_regions"].force_value([str(region.pk)])
    form["invited_groups"].force_value([str(group.pk)])
    saved = form.submit("_save")
    assert saved.status_code == 302, errors_of(saved)
    assert list(meeting.invitees.all()) == [person]
    assert list(meeting.invited_regions.all()) == [region]
    assert list(meeting.invited_groups.all()) == [group]


# -- times in the event's zone --------------------------------------------------------


def test_the_meetings_times_are_browser_date_and_time_inputs_the_admin_script_leaves_alone(
    django_app, secretariat
):
    # The admin's DateTimeShortcuts.js adds "Note: You are N hours behind server time"
    # only beside type="text" inputs with the classes vDateField / vTimeField.
    page = change_page(django_app, secretariat, MeetingFactory())
    for name in ("start", "end", "registration_deadline"):
        date, time = (
            page.html.select_one(f"[name={name}_0]"),
            page.html.select_one(f"[name={name}_1]"),
        )
        assert (date["type"], time["type"]) == ("date", "time"), name
        assert not {"vDateField", "vTimeField"} & {*date.get("class", []), *time.get("class", [])}
    for agenda_time in page.html.select("input[name$=start_time]"):
        assert agenda_time["type"] == "time"
        assert "vTimeField" not in agenda_time.get("class", [])


def test_the_help_text_says_times_are_in_the_events_zone(django_app, secretariat):
    page = change_page(django_app, secretariat, MeetingFactory())
    assert "In the event's own time zone" in page.html.select_one(".field-start").get_text()


def test_the_prefilled_times_save_unchanged_as_the_browser_submits_them(django_app, secretariat):
    meeting = MeetingFactory()
    page = change_page(django_app, secretariat, meeting)
    form = form_with(page, "start_0")
    local = meeting.local_start
    assert (form["start_0"].value, form["start_1"].value) == (
        f"{local:%Y-%m-%d}",
        f"{local:%H:%M}",
    )
    saved = form.submit("_save")
    assert saved.status_code == 302, errors_of(saved)
    assert Meeting.objects.get(pk=meeting.pk).start == meeting.start


def test_a_draft_links_to_no_delivery_log_until_it_has_emails(django_app, secretariat):
    page = change_page(django_app, secretariat, DraftMeetingFactory())
    links = page.html.select_one(".field-email_links .readonly").get_text(" ", strip=True)
    assert links == "Preview the invitation · Write to participants"
