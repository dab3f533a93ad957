"""The admin's inputs that Django leaves without a name get one (asa_portal/admin_labels.py):
the date and the time of a split field, and each input of a table inline's rows. The
browser check of every admin page is tests/browser/test_admin_pages.py."""

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin

from accounts.permissions import TECHNICAL_ADMIN_APPS
from asa_portal.admin_labels import RowsNamed
from tests.factories.accounts import UserFactory
from tests.factories.meetings import MeetingFactory, PublicConferenceFactory, QuestionFactory
from tests.factories.regions import IndicatorFactory, MembershipFactory, RegionFactory

pytestmark = pytest.mark.django_db


def names(page: bytes) -> dict[str, str]:
    """Each input's, select's and text area's aria-label, by its name."""
    soup = BeautifulSoup(page, "html.parser")
    return {
        field["name"]: field.get("aria-label", "")
        for field in soup.select("input[name], select[name], textarea[name]")
    }


def test_the_meetings_start_end_and_deadline_name_their_date_and_time_inputs(
    client_for, secretariat
):
    meeting = MeetingFactory()
    MeetingFactory(title="Another meeting")
    page = client_for(secretariat).get(f"/admin/meetings/meeting/{meeting.pk}/change/")
    found = names(page.content)
    for field in ("start", "end", "registration_deadline"):
        assert (found[f"{field}_0"], found[f"{field}_1"]) == ("Date", "Time"), field


def test_a_persons_last_sign_in_and_day_joined_name_their_date_and_time_inputs(
    client_for, secretariat
):
    person = UserFactory(email="someone@example.org")
    page = client_for(secretariat).get(f"/admin/accounts/user/{person.pk}/change/")
    found = names(page.content)
    assert (found["last_login_0"], found["last_login_1"]) == ("Date", "Time")
    assert (found["date_joined_0"], found["date_joined_1"]) == ("Date", "Time")


def test_a_regions_figures_name_each_input_of_each_row_after_its_column(client_for, secretariat):
    region = RegionFactory()
    IndicatorFactory(region=region, year=2023)
    IndicatorFactory(region=RegionFactory(name="Another region"), year=2024)
    MembershipFactory(region=region)
    page = client_for(secretariat).get(f"/admin/regions/region/{region.pk}/change/")
    found = names(page.content)
    assert [found[f"indicators-0-{field}"] for field in ("kind", "year", "value", "unit")] == [
        "Kind",
        "Year",
        "Value",
        "Unit",
    ]
    assert found["indicators-0-DELETE"] == "Delete"
    # The row the admin's script copies when "Add another" is pressed.
    assert found["indicators-__prefix__-year"] == "Year"
    assert found["memberships-0-user"] == "Person"


def test_an_events_questions_name_each_input_after_its_column(client_for, secretariat):
    conference = PublicConferenceFactory()
    QuestionFactory(meeting=conference, text="Dietary needs")
    page = client_for(secretariat).get(f"/admin/meetings/meeting/{conference.pk}/change/")
    found = names(page.content)
    assert (found["questions-0-text"], found["questions-0-required"]) == ("Question", "Required")


def test_every_table_inline_the_secretariat_uses_names_its_rows():
    """The technical apps' lists (the periodic tasks) are the superusers' alone."""
    tables = [
        inline
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in TECHNICAL_ADMIN_APPS
        for inline in model_admin.inlines
        if issubclass(inline, admin.TabularInline)
    ]
    assert "IndicatorInline" in {inline.__name__ for inline in tables}
    unnamed = [inline.__name__ for inline in tables if not issubclass(inline, RowsNamed)]
    assert unnamed == []
