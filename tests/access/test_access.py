"""Who may open what: every URL of the site × every kind of person."""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access import (
    rows_api,
    rows_core,
    rows_meetings,
    rows_notifications,
    rows_practices,
    rows_regions,
)
from tests.access.table import LOGIN, PEOPLE

# Each app's rows; a new app adds its module here.
ROW_MODULES = [
    rows_core,
    rows_meetings,
    rows_regions,
    rows_practices,
    rows_notifications,
    rows_api,
]
ROWS = [row for module in ROW_MODULES for row in module.ROWS]

# URLs that are not pages of the site: the admin has its own staff check.
NOT_SITE_NAMESPACES = {"admin"}


def site_url_names(patterns=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in NOT_SITE_NAMESPACES:
                continue
            names |= site_url_names(
                pattern.url_patterns, f"{inner}:" if pattern.namespace else namespace
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_of_the_site_has_a_row_in_the_access_table():
    missing = site_url_names() - {row.url_name for row in ROWS}
    assert not missing, f"Add rows to tests/access/rows_*.py for: {sorted(missing)}"


def test_every_row_names_a_real_url():
    unknown = {row.url_name for row in ROWS} - site_url_names()
    assert not unknown


def test_every_row_decides_for_every_person():
    for row in ROWS:
        assert set(row.expect) == set(PEOPLE), row


@pytest.fixture
def world(member, representative, other_representative, secretariat, region, other_region):
    world = SimpleNamespace(
        region=region,
        other_region=other_region,
        people={
            "anonymous": None,
            "member": member,
            "representative": representative,
            "other_representative": other_representative,
            "secretariat": secretariat,
        },
    )
    for module in ROW_MODULES:
        module.build(world)
    return world


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("row", ROWS, ids=str)
def test_each_person_gets_the_answer_the_table_expects(row, person, world, client_for):
    client = client_for(world.people[person])
    path = row.path(world)
    response = getattr(client, row.method)(path)
    expected = row.expect[person]
    if expected == LOGIN:
        assert response.status_code == 302, f"{row} as {person}: {response.status_code}"
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected, f"{row} as {person}: {response.status_code}"
