"""The meeting form in the admin fills in the registration deadline, a day before the
start, as the secretariat types the start (static/js/meeting_deadline.js)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def deadline(page) -> tuple[str, str]:
    return (
        page.locator("#id_registration_deadline_0").input_value(),
        page.locator("#id_registration_deadline_1").input_value(),
    )


def test_the_deadline_follows_the_start_until_the_secretariat_types_one(
    admin_page,  # noqa: F811
    live_server,
):
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/add/")
    admin_page.locator("#id_start_0").fill("2099-03-01")
    assert deadline(admin_page) == ("", "")  # no time yet: nothing to go by
    admin_page.locator("#id_start_1").fill("10:00")
    assert deadline(admin_page) == ("2099-02-28", "10:00")
    admin_page.locator("#id_start_0").fill("2099-04-01")
    assert deadline(admin_page) == ("2099-03-31", "10:00")
    admin_page.locator("#id_registration_deadline_0").fill("2099-03-20")
    admin_page.locator("#id_start_1").fill("14:00")
    assert deadline(admin_page) == ("2099-03-20", "10:00")
    assert admin_page.console_errors == []


def test_a_saved_deadline_of_another_day_stays_when_the_start_moves(
    admin_page,  # noqa: F811
    live_server,
):
    import datetime as dt

    from tests.factories.meetings import BRUSSELS, DraftMeetingFactory

    meeting = DraftMeetingFactory(
        start=dt.datetime(2099, 3, 25, 10, tzinfo=BRUSSELS),
        end=dt.datetime(2099, 3, 25, 13, tzinfo=BRUSSELS),
        registration_deadline=dt.datetime(2099, 3, 18, 12, tzinfo=BRUSSELS),
    )
    admin_page.goto(f"{live_server.url}/admin/meetings/meeting/{meeting.pk}/change/")
    admin_page.locator("#id_start_0").fill("2099-03-26")
    assert deadline(admin_page) == ("2099-03-18", "12:00")
