"""The secretariat's admin pages fit a 1,280 px laptop screen: no sideways scrolling."""

import datetime as dt
import re

import pytest

from meetings.models import Attendance
from tests.browser.conftest import LAPTOP, page_width
from tests.factories.meetings import (
    BRUSSELS,
    AgendaItemFactory,
    AttendanceFactory,
    MeetingFactory,
    WorkingGroupFactory,
)
from tests.factories.practices import PublishedPracticeFactory
from tests.factories.regions import (
    IndicatorFactory,
    MembershipFactory,
    PartnerFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def a_meeting_with_a_full_agenda():
    region = RegionFactory(name="Baden-Württemberg (Stuttgart Region)")
    practice = PublishedPracticeFactory(
        region=region, title="Hydrogen skills for suppliers of the automotive industry"
    )
    meeting = MeetingFactory(
        title="WG4 Regional Implementation: spring meeting with the partner regions",
        working_group=WorkingGroupFactory(code="WG4", name="Regional Implementation"),
        start=dt.datetime(2099, 3, 25, 9, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 17, tzinfo=BRUSSELS),
    )
    for n in range(1, 6):
        AgendaItemFactory(
            meeting=meeting,
            position=n,
            duration_minutes=30,
            title=f"Best practices from the partner regions, part {n}: what worked and why",
            presenters="Dr. Maria Musterfrau-Beispielhaft, Ministry of Economic Affairs",
            presenting_region=region,
            showcased_practice=practice,
        )
    return meeting


def test_the_meeting_change_page_with_its_agenda_fits_a_laptop_screen(admin_page, live_server):
    meeting = a_meeting_with_a_full_agenda()
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    assert admin_page.locator("[name='agenda_items-4-title']").count() == 1
    assert page_width(admin_page) <= LAPTOP["width"]
    # Every field of the last agenda item, the document and its delete box included,
    # lies within the screen.
    for name in ("title", "document", "DELETE", "showcased_practice"):
        box = admin_page.locator(f"[name='agenda_items-4-{name}']").first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], name
    assert admin_page.console_errors == []


def test_the_meeting_list_shows_the_answer_counts_on_a_laptop_screen(admin_page, live_server):
    meeting = a_meeting_with_a_full_agenda()
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.IN_PERSON)
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/")
    assert page_width(admin_page) <= LAPTOP["width"]
    # The table scrolls inside its own box when too wide: the counts must be in view
    # without that scrolling too.
    results = admin_page.locator("#changelist .results")
    visible_right = results.evaluate("box => box.getBoundingClientRect().left + box.clientWidth")
    assert visible_right <= LAPTOP["width"]
    counts = admin_page.locator("td.field-answers")
    assert counts.inner_text().split("\n") == [
        "1 in person",
        "0 online",
        "0 declined",
        "0 no answer",
    ]
    for cell in (admin_page.locator("th.column-answers"), counts):
        box = cell.bounding_box(timeout=5000)
        assert box is not None and box["x"] + box["width"] <= visible_right


@pytest.mark.parametrize(
    "path",
    [
        "meetings/meeting",
        "meetings/agendaitem",
        "meetings/attendance",
        "meetings/workinggroup",
        "practices/practice",
        "practices/practicereview",
        "regions/region",
        "regions/indicator",
        "regions/partner",
        "accounts/user",
    ],
    ids=lambda path: path.replace("/", "-"),
)
def test_every_admin_list_fits_a_laptop_screen(admin_page, live_server, path):
    meeting = a_meeting_with_a_full_agenda()
    AttendanceFactory(meeting=meeting, answer=Attendance.Answer.ONLINE)
    PublishedPracticeFactory(title="A practice with a long title " * 4, status="submitted")
    PartnerFactory(acronym="CORAI", name="Conference of Atlantic Arc Regions Innovation")
    IndicatorFactory(source="Statistisches Landesamt Baden-Württemberg, Regionaldatenbank")
    admin_page.goto(f"{live_server.url}/admin/{path}/")
    assert page_width(admin_page) <= LAPTOP["width"]
    results = admin_page.locator("#changelist .results")
    overflow = results.evaluate("box => box.scrollWidth - box.clientWidth")
    assert overflow <= 0, f"the table scrolls sideways by {overflow} px"


def a_region_with_people_and_figures():
    region = RegionFactory(name="Baden-Württemberg (Stuttgart Region)")
    MembershipFactory(region=region)
    IndicatorFactory(region=region, source="Statistisches Landesamt Baden-Württemberg " * 3)
    return region


@pytest.mark.parametrize(
    "make, path",
    [
        (a_region_with_people_and_figures, "regions/region"),
        (
            lambda: PublishedPracticeFactory(body="## Approach\\n\\n" + "Training. " * 300),
            "practices/practice",
        ),
        (lambda: MembershipFactory().user, "accounts/user"),
    ],
    ids=["region", "practice", "user"],
)
def test_change_pages_with_inlines_fit_a_laptop_screen(admin_page, live_server, make, path):
    obj = make()
    admin_page.goto(f"{live_server.url}/admin/{path}/{obj.pk}/change/")
    assert admin_page.locator("input[name=_save]").count() == 1
    assert page_width(admin_page) <= LAPTOP["width"]
    assert admin_page.console_errors == []


def test_the_secretariat_types_a_ten_item_agenda_and_saves_once(admin_page, live_server):
    meeting = MeetingFactory(
        working_group=None,
        start=dt.datetime(2099, 3, 25, 9, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 17, tzinfo=BRUSSELS),
    )
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    for n in range(10):
        if admin_page.locator(f"[name='agenda_items-{n}-title']").count() == 0:
            admin_page.locator("#agenda_items-group .add-row a").click()
        admin_page.locator(f"[name='agenda_items-{n}-title']").fill(f"Item {n + 1}")
        admin_page.locator(f"[name='agenda_items-{n}-duration_minutes']").fill("20")
    assert page_width(admin_page) <= LAPTOP["width"]
    admin_page.locator("input[name=_save]").click()
    admin_page.wait_for_url(f"{live_server.url}/admin/meetings/meeting/", timeout=10_000)
    titles = list(meeting.agenda_items.values_list("title", flat=True))
    assert titles == [f"Item {n}" for n in range(1, 11)]
    assert admin_page.console_errors == []


def a_busy_delivery_log():
    """Emails of every state with long addresses, subjects and SMTP errors, as the log
    holds them after a few weeks."""
    from django.utils import timezone

    from notifications.models import Notification
    from tests.factories.accounts import UserFactory

    meeting = a_meeting_with_a_full_agenda()
    practice = PublishedPracticeFactory(title="A practice with a long title " * 4)
    error = (
        "550 5.1.1 <dr.maria.musterfrau-beispielhaft@wirtschaftsministerium.example.org>: "
        "Recipient address rejected: User unknown in virtual mailbox table; please check "
        "the address and try again later or contact the postmaster of the receiving domain"
    )
    now = timezone.now()
    held = UserFactory(
        email="held.person.with.a.long.name@bouncing-domain-of-a-region.example.org",
        email_bouncing_since=now,
    )
    Notification.objects.create(meeting=meeting, person=held, kind="invitation")
    for n in range(12):
        person = UserFactory(
            email=f"dr.maria.musterfrau-beispielhaft.{n}@wirtschaftsministerium.example.org"
        )
        state = ["sent", "failed", "queued"][n % 3]
        Notification.objects.create(
            meeting=meeting,
            person=person,
            kind=["invitation", "reminder", "update"][n % 3],
            revision=n,
            status=state,
            attempts=6 if state == "failed" else n % 3,
            last_error=error if state != "sent" else "",
            sent_at=now if state == "sent" else None,
        )
    Notification.objects.create(
        practice=practice,
        address="the-secretariat-of-the-automotive-skills-alliance@asa.example.org",
        kind="practice_review",
        details={"decision": "submitted"},
        last_error=error,
        attempts=2,
    )
    return meeting


def test_the_delivery_log_shows_each_email_on_one_line_on_a_laptop_screen(admin_page, live_server):
    a_busy_delivery_log()
    admin_page.goto(f"{live_server.url}/admin/notifications/notification/")
    assert page_width(admin_page) <= LAPTOP["width"]
    results = admin_page.locator("#changelist .results")
    overflow = results.evaluate("box => box.scrollWidth - box.clientWidth")
    assert overflow <= 0, f"the table scrolls sideways by {overflow} px"
    rows = admin_page.locator("#result_list tbody tr")
    assert rows.count() == 14
    # The height of each cell's text (without its padding), in lines.
    lines = rows.evaluate_all(
        """rows => rows.flatMap(row => [...row.cells].map(cell => {
            const style = getComputedStyle(cell);
            const text = cell.clientHeight - parseFloat(style.paddingTop)
                - parseFloat(style.paddingBottom);
            return text / parseFloat(style.lineHeight);
        }))"""
    )
    assert max(lines) < 1.5, f"a cell takes {max(lines):.1f} lines"
    for column in ("due", "sent"):
        for cell in admin_page.locator(f"td.field-{column}").all():
            box = cell.bounding_box()
            assert box is not None and box["x"] + box["width"] <= LAPTOP["width"]
    sent = [text for text in admin_page.locator("td.field-sent").all_inner_texts() if text != "-"]
    assert len(sent) == 4
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d\d:\d\d", text) for text in sent), sent
    # A cut address or error is there in full on hovering.
    error_cell = admin_page.locator("td.field-short_error").first
    assert "postmaster of the receiving domain" in error_cell.locator("span").get_attribute(
        "title"
    )
    assert admin_page.console_errors == []


def test_the_delivery_log_filters_by_meeting_kind_and_state_and_finds_an_address(
    admin_page, live_server
):
    meeting = a_busy_delivery_log()
    admin_page.goto(f"{live_server.url}/admin/notifications/notification/")
    headings = admin_page.locator("#changelist-filter summary").all_inner_texts()
    assert headings == ["Status", "Kind", "Meeting", "Due at"]
    admin_page.goto(
        f"{live_server.url}/admin/notifications/notification/"
        f"?meeting__id__exact={meeting.pk}&status__exact=failed&kind__exact=reminder"
    )
    assert admin_page.locator("#result_list tbody tr").count() == 4
    admin_page.goto(f"{live_server.url}/admin/notifications/notification/")
    admin_page.locator("#searchbar").fill("the-secretariat-of-the-automotive")
    admin_page.locator("#searchbar").press("Enter")
    admin_page.wait_for_load_state()
    assert admin_page.locator("#result_list tbody tr").count() == 1
    assert page_width(admin_page) <= LAPTOP["width"]
