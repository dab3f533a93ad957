"""The demo world shows /me/ as the issue's walk expects: the Stuttgart representative
signs in and finds a practice returned with the secretariat's comment."""

import pytest
from django.core.management import call_command

from accounts.models import User
from notifications.models import Notification
from practices.models import Practice

pytestmark = pytest.mark.django_db

SLUG = "stuttgart-hydrogen-skills-for-suppliers"


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Practice.objects.get(slug=SLUG)


def test_the_stuttgart_representative_finds_a_returned_practice_with_its_comment(
    seeded, client_for
):
    stuttgart = User.objects.get(email="stuttgart@example.org")
    page = client_for(stuttgart).get("/me/").content.decode()
    returned = page.split("Returned to you for changes")[1].split("<h3")[0]
    assert seeded.title in returned
    assert "please add the results so far" in returned
    assert f"/practices/{SLUG}/edit/" in returned


def test_the_stuttgart_representative_still_has_a_draft_and_a_published_practice(
    seeded, client_for
):
    stuttgart = User.objects.get(email="stuttgart@example.org")
    page = client_for(stuttgart).get("/me/").content.decode()
    assert "Drafts, not yet submitted (1)" in page
    assert "Published (1)" in page


def test_the_demo_practice_was_returned_by_the_secretariat_after_its_submission(seeded):
    history = seeded.history.order_by("history_date", "history_id")
    reasons = [(row.history_change_reason, row.status) for row in history]
    assert reasons == [
        ("Created", "draft"),
        ("Submitted for review", "submitted"),
        ("Returned for changes", "returned"),
    ]
    returned_by = history.last().history_user
    assert returned_by.email == "secretariat@example.org"
    assert seeded.created_by.email == "stuttgart@example.org"


def test_the_demo_return_is_kept_in_the_email_log_but_not_sent(seeded):
    rows = Notification.objects.filter(practice=seeded)
    assert rows.exists()
    assert set(rows.values_list("status", flat=True)) == {Notification.Status.SKIPPED}
