"""Many rows are deleted or changed a batch at a time, each batch its own statement."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asa_portal.batches import delete_in_batches, update_in_batches

pytestmark = pytest.mark.django_db


def sessions(count: int) -> None:
    Session.objects.bulk_create(
        Session(session_key=f"key{n}", session_data="", expire_date=timezone.now())
        for n in range(count)
    )


def statements(captured, verb: str) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith(verb)]


def test_deleting_five_rows_two_at_a_time_takes_three_deletes():
    sessions(5)
    with CaptureQueriesContext(connection) as captured:
        assert delete_in_batches(Session.objects.all(), size=2) == 5
    assert len(statements(captured, "DELETE")) == 3
    assert Session.objects.count() == 0


def test_only_the_rows_of_the_queryset_are_deleted():
    sessions(5)
    assert delete_in_batches(Session.objects.filter(session_key__in=["key1", "key3"]), size=1) == 2
    assert sorted(Session.objects.values_list("session_key", flat=True)) == [
        "key0",
        "key2",
        "key4",
    ]


def test_changing_five_rows_two_at_a_time_takes_three_updates():
    sessions(5)
    with CaptureQueriesContext(connection) as captured:
        assert update_in_batches(Session.objects.all(), size=2, session_data="x") == 5
    assert len(statements(captured, "UPDATE")) == 3
    assert set(Session.objects.values_list("session_data", flat=True)) == {"x"}


def test_changing_rows_that_still_match_afterwards_ends():
    sessions(3)
    kept = Session.objects.filter(session_data="")
    assert update_in_batches(kept, size=2, session_data="") == 3
