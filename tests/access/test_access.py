"""Who may open what: every URL of the site × every kind of person."""

import re
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from tests.access import (
    rows_api,
    rows_core,
    rows_i18n,
    rows_me,
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
    rows_me,
    rows_api,
    rows_i18n,
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


def site_patterns_without_a_name(patterns=None, prefix: str = "") -> list[str]:
    found = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace not in NOT_SITE_NAMESPACES:
                found += site_patterns_without_a_name(
                    pattern.url_patterns, f"{prefix}{pattern.pattern}"
                )
        elif not pattern.name:
            found.append(f"{prefix}{pattern.pattern}")
    return found


def test_every_url_of_the_site_has_a_name_so_that_it_can_have_a_row():
    unnamed = site_patterns_without_a_name()
    assert not unnamed, f"Name these URLs and add rows for them: {unnamed}"


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


# -- The admin's own URLs: only the secretariat gets past the admin's sign-in -----------

# A value for each part of an admin address (the object need not exist: the admin checks
# who asks before it looks the object up).
ADMIN_SAMPLES = {
    "object_id": "1",
    "app_label": "meetings",
    "content_type_id": "1",
    "url": "no-such-page/",
}
_ROUTE_PART = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PART = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _sample(pattern) -> str:
    text = str(pattern.pattern)
    if isinstance(pattern.pattern, RegexPattern):
        text = _REGEX_PART.sub(lambda m: ADMIN_SAMPLES.get(m.group(1), "1"), text)
        return text.lstrip("^").rstrip("$").replace("\\", "")
    return _ROUTE_PART.sub(lambda m: ADMIN_SAMPLES.get(m.group(1), "1"), text)


def admin_paths(patterns=None, prefix: str = "") -> dict[str, str]:
    """Every URL pattern of the admin, named or not (Django's own, each model admin's,
    and the views an admin adds in get_urls), with a path that reaches it."""
    if patterns is None:
        (admin,) = (
            p for p in get_resolver().url_patterns if getattr(p, "namespace", "") == "admin"
        )
        return admin_paths(admin.url_patterns, f"/{admin.pattern}")
    paths = {}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            paths |= admin_paths(pattern.url_patterns, f"{prefix}{_sample(pattern)}")
        else:
            paths[f"{prefix}{pattern.pattern} ({pattern.name or 'no name'})"] = (
                f"{prefix}{_sample(pattern)}"
            )
    return paths


# Open to everyone: the admin's own sign-in, and its sign-out (which changes nothing
# on a GET: it sends the browser on to the admin's index).
ADMIN_OPEN = {"login", "logout"}


def test_the_admin_has_urls_to_check():
    paths = admin_paths()
    assert len(paths) > 50
    assert any("message" in key for key in paths)  # the views an admin adds itself


@pytest.mark.parametrize("person", ["anonymous", "member", "representative"])
def test_everyone_but_the_secretariat_is_sent_to_the_admin_sign_in_from_every_admin_url(
    person, member, representative, client_for
):
    client = client_for(
        {"anonymous": None, "member": member, "representative": representative}[person]
    )
    wrong = []
    for key, path in admin_paths().items():
        if key.endswith(tuple(f"({name})" for name in ADMIN_OPEN)):
            continue
        response = client.get(path)
        location = response.get("Location", "")
        if response.status_code != 302 or not location.startswith("/admin/login/?next="):
            wrong.append(f"{key} {path}: {response.status_code} {location}")
    assert not wrong, "\n".join(wrong)


def test_the_secretariat_gets_no_server_error_from_any_admin_url(secretariat, client_for):
    client = client_for(secretariat)
    errors = []
    for key, path in admin_paths().items():
        status = client.get(path).status_code
        if status >= 500:
            errors.append(f"{key} {path}: {status}")
    assert not errors, "\n".join(errors)


# Open before the second step: setting it up, the step itself, and signing out.
BEFORE_SECOND_STEP = {"second_factor", "second_factor_verify", "logout"}


def test_where_a_second_factor_is_required_the_secretariat_passes_it_before_any_admin_url(
    staff_2fa_required, secretariat, client_for
):
    client = client_for(secretariat)
    wrong = []
    for key, path in admin_paths().items():
        if key.endswith(tuple(f"({name})" for name in ADMIN_OPEN | BEFORE_SECOND_STEP)):
            continue
        response = client.get(path)
        location = response.get("Location", "")
        if response.status_code != 302 or not location.startswith("/admin/second-factor/?next="):
            wrong.append(f"{key} {path}: {response.status_code} {location}")
    assert not wrong, "\n".join(wrong)


def test_the_secretariat_past_the_second_step_gets_no_server_error_from_any_admin_url(
    staff_2fa_required, secretariat, verified_client_for
):
    client = verified_client_for(secretariat)
    errors = []
    for key, path in admin_paths().items():
        status = client.get(path).status_code
        if status >= 500:
            errors.append(f"{key} {path}: {status}")
    assert not errors, "\n".join(errors)
