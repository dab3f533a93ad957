"""A world with public and private things side by side, for the API and the embed page."""

import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile

from meetings.models import Meeting
from practices.models import Attachment, Practice
from tests.factories.accounts import UserFactory
from tests.factories.meetings import (
    AgendaItemFactory,
    AttendanceFactory,
    DraftMeetingFactory,
    MeetingFactory,
    WorkingGroupFactory,
    in_days,
)
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory
from tests.factories.regions import IndicatorFactory, PartnerFactory

SECRET_LINK = "https://meet.example.org/secret-room-4711"


def make_world(region, other_region, member):
    """Also for the browser tests (tests/browser/test_embed.py), which share Chromium
    with the other browser tests."""
    group = WorkingGroupFactory(code="WG4", name="Regional Implementation", members=[member])
    published = PublishedPracticeFactory(
        title="Electromobility academy",
        slug="electromobility-academy",
        region=other_region,
        summary="Košice retrains mechanics for electric drivetrains.",
        contact="academy@example.org",
    )
    draft = PracticeFactory(
        title="Unfinished draft about hydrogen", slug="hydrogen", region=region
    )
    # Published, with edits waiting for review: the API shows the published version.
    edited = PublishedPracticeFactory(title="Dual training", slug="dual-training", region=region)
    Practice.objects.filter(pk=edited.pk).update(
        status=Practice.Status.SUBMITTED,
        pending={"title": "Pending rewrite of dual training", "summary": "Not reviewed yet"},
    )
    pending_file = Attachment(
        practice=published,
        original_name="pending-plan.pdf",
        content_type="application/pdf",
        extension="pdf",
        size=20,
        pending=True,
    )
    pending_file.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    pending_file.save()

    public = MeetingFactory(
        title="WG4 meeting in Stuttgart",
        slug="wg4-stuttgart",
        working_group=group,
        host_region=region,
        online_link=SECRET_LINK,
        partners=[PartnerFactory(acronym="ARA", name="Automotive Regions Alliance")],
    )
    AgendaItemFactory(meeting=public, position=1, title="Welcome", kind="welcome")
    AgendaItemFactory(
        meeting=public,
        position=2,
        title="Best practice from Košice",
        presenters="Ján Novák",
        presenting_region=other_region,
        showcased_practice=published,
        document=ContentFile(b"%PDF-1.4 slides", name="slides.pdf"),
    )
    AgendaItemFactory(
        meeting=public, position=3, title="A draft on the agenda", showcased_practice=draft
    )
    members_only = MeetingFactory(
        title="Closed strategy retreat",
        slug="closed-retreat",
        working_group=group,
        visibility=Meeting.Visibility.MEMBERS,
        start=in_days(10),
        end=in_days(10, hour=12),
    )
    AgendaItemFactory(meeting=members_only, title="Confidential budget item")
    draft_meeting = DraftMeetingFactory(title="Unannounced study visit", slug="unannounced")
    past = MeetingFactory(
        title="ASA conference 2024",
        slug="asa-conference-2024",
        kind=Meeting.Kind.CONFERENCE,
        working_group=None,
        start=in_days(-60),
        end=in_days(-60) + dt.timedelta(hours=6),
    )
    past_members_only = MeetingFactory(
        title="Members dinner of last year",
        slug="members-dinner",
        visibility=Meeting.Visibility.MEMBERS,
        start=in_days(-30),
        end=in_days(-30, hour=12),
    )
    cancelled = MeetingFactory(
        title="Cancelled webinar",
        slug="cancelled-webinar",
        kind=Meeting.Kind.WEBINAR,
        status=Meeting.Status.CANCELLED,
        start=in_days(40),
        end=in_days(40, hour=11),
    )
    participant = UserFactory(first_name="Particia", last_name="Participant-Zyx")
    AttendanceFactory(meeting=public, user=participant)
    IndicatorFactory(region=region, year=2023, value=12345)
    return SimpleNamespace(
        group=group,
        published=published,
        draft=draft,
        edited=edited,
        public=public,
        members_only=members_only,
        draft_meeting=draft_meeting,
        past=past,
        past_members_only=past_members_only,
        cancelled=cancelled,
        participant=participant,
        # What must never appear in any answer of the API.
        secrets=[
            members_only.title,
            "Confidential budget item",
            draft_meeting.title,
            past_members_only.title,
            SECRET_LINK,
            participant.last_name,
            participant.email,
            member.email,
            draft.title,
            "Pending rewrite of dual training",
            "pending-plan.pdf",
        ],
    )
