"""Every CSV the portal exports opens safely in a spreadsheet: no cell of any column
begins with a character that makes a spreadsheet read it as a formula (CSV injection)."""

import csv
import io

import pytest

from meetings.models import Attendance
from regions.models import Region
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, MeetingFactory, WorkingGroupFactory
from tests.factories.regions import IndicatorFactory, RegionFactory

pytestmark = pytest.mark.django_db

# What spreadsheets run or that starts a formula after a separator: = + - @ tab CR.
PREFIXES = ["=", "+", "-", "@", "\t", "\r"]


def cells(body: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(body, newline="")) for cell in row]


def dangerous(body: str) -> list[str]:
    return [cell for cell in cells(body) if cell[:1] in PREFIXES]


def regions_export(client_for, secretariat, prefix: str) -> str:
    region = RegionFactory(name=f"{prefix}Region", slug="evil")
    Region.objects.filter(pk=region.pk).update(country="DE")
    IndicatorFactory(
        region=region, value=-5, unit=f"{prefix}unit", source=f"{prefix}cmd|' /C calc'!A0"
    )
    return client_for(None).get("/regions/compare.csv").content.decode()


def participants_export(client_for, secretariat, prefix: str) -> str:
    typed = {
        "first_name": f"{prefix}First",
        "last_name": f"{prefix}Last",
        "organisation": f"{prefix}SUM(1+1)",
    }
    answered = UserFactory(email=f"{prefix}answered@example.org".lstrip("\t\r"), **typed)
    silent = UserFactory(email="silent@example.org", **typed)
    meeting = MeetingFactory(
        title=f'{prefix}HYPERLINK("http://evil.example")',
        working_group=WorkingGroupFactory(members=[answered, silent]),
    )
    AttendanceFactory(meeting=meeting, user=answered, answer=Attendance.Answer.ONLINE)
    response = client_for(secretariat).post(
        "/admin/meetings/meeting/",
        {"action": "export_participants", "_selected_action": [meeting.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode()


EXPORTS = [regions_export, participants_export]


@pytest.mark.parametrize("prefix", PREFIXES, ids=repr)
@pytest.mark.parametrize("export", EXPORTS, ids=lambda export: export.__name__)
def test_no_cell_of_any_export_begins_like_a_formula(export, prefix, client_for, secretariat):
    body = export(client_for, secretariat, prefix)
    assert f"'{prefix}" in body, "the typed values are in the export"
    assert dangerous(body) == []


@pytest.mark.parametrize("export", EXPORTS, ids=lambda export: export.__name__)
def test_the_neutralised_cells_keep_what_was_typed(export, client_for, secretariat):
    body = export(client_for, secretariat, "=")
    assert "'=SUM(1+1)" in body or "'=cmd|' /C calc'!A0" in body
