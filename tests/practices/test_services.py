import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from practices import services
from practices.models import Practice
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory

Status = Practice.Status
CONTENT = {"title": "Battery skills", "summary": "Short courses.", "body": "## How"}


def test_a_new_practice_is_a_draft_with_a_slug_from_its_title(representative, region):
    practice = services.practice_create(region=region, by=representative, data=CONTENT)
    assert practice.status == Status.DRAFT
    assert practice.slug == "battery-skills"


def test_two_practices_with_the_same_title_get_different_slugs(representative, region):
    first = services.practice_create(region=region, by=representative, data=CONTENT)
    second = services.practice_create(region=region, by=representative, data=CONTENT)
    assert first.slug != second.slug


def test_a_representative_cannot_create_a_practice_for_another_region(
    other_representative, region
):
    with pytest.raises(PermissionDenied):
        services.practice_create(region=region, by=other_representative, data=CONTENT)


def test_submitting_a_draft_puts_it_in_the_review_queue(representative, region):
    practice = PracticeFactory(region=region)
    services.practice_submit(practice=practice, by=representative)
    assert list(Practice.objects.awaiting_review()) == [practice]


def test_publishing_a_submitted_practice_makes_it_public_and_emails_the_region(
    representative, secretariat, region, django_capture_on_commit_callbacks
):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(practice=practice, by=secretariat)
    assert practice in Practice.objects.published()
    assert practice.published_at is not None
    assert mail.outbox[0].to == [representative.email]
    assert mail.outbox[0].subject.startswith("Published:")


def test_returning_needs_a_comment(secretariat, region):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    with pytest.raises(ValidationError):
        services.practice_return(practice=practice, by=secretariat, comment="  ")


def test_returning_sends_the_comment_to_the_region(
    representative, secretariat, region, django_capture_on_commit_callbacks
):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_return(practice=practice, by=secretariat, comment="Add figures.")
    assert practice.status == Status.RETURNED
    assert "Add figures." in mail.outbox[0].body


def test_no_email_leaves_when_the_transaction_rolls_back(secretariat, representative, region):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    services.practice_publish(practice=practice, by=secretariat)  # test transaction: no commit
    assert mail.outbox == []


def test_a_returned_practice_can_be_edited_and_submitted_again(representative, region):
    practice = PracticeFactory(region=region, status=Status.RETURNED, review_comment="More.")
    services.practice_update(practice=practice, by=representative, data={"summary": "More."})
    services.practice_submit(practice=practice, by=representative)
    assert practice.status == Status.SUBMITTED


def test_a_draft_cannot_be_published(secretariat, region):
    with pytest.raises(ValidationError):
        services.practice_publish(practice=PracticeFactory(region=region), by=secretariat)


def test_a_representative_cannot_publish(representative, region):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.practice_publish(practice=practice, by=representative)


def test_a_representative_cannot_edit_another_regions_practice(other_representative, region):
    practice = PracticeFactory(region=region, title="Original")
    with pytest.raises(PermissionDenied):
        services.practice_update(practice=practice, by=other_representative, data=CONTENT)
    practice.refresh_from_db()
    assert practice.title == "Original"


def test_editing_a_published_practice_keeps_the_published_version_visible(representative, region):
    practice = PublishedPracticeFactory(region=region, title="Published title")
    services.practice_update(practice=practice, by=representative, data={"title": "New title"})
    practice.refresh_from_db()
    assert practice.title == "Published title"
    assert practice.pending["title"] == "New title"
    assert practice in Practice.objects.published()


def test_publishing_pending_edits_replaces_the_published_version(
    representative, secretariat, region
):
    practice = PublishedPracticeFactory(region=region, title="Published title")
    first_published = practice.published_at
    services.practice_update(practice=practice, by=representative, data={"title": "New title"})
    services.practice_submit(practice=practice, by=representative)
    services.practice_publish(practice=practice, by=secretariat)
    practice.refresh_from_db()
    assert (practice.title, practice.pending) == ("New title", None)
    assert practice.published_at == first_published


def test_returned_edits_of_a_published_practice_leave_it_published(
    representative, secretariat, region
):
    practice = PublishedPracticeFactory(region=region)
    services.practice_update(practice=practice, by=representative, data={"title": "New"})
    services.practice_submit(practice=practice, by=representative)
    services.practice_return(practice=practice, by=secretariat, comment="Not yet.")
    assert practice in Practice.objects.published()


def test_an_archived_practice_is_no_longer_listed_but_still_readable(secretariat, region):
    practice = PublishedPracticeFactory(region=region)
    services.practice_archive(practice=practice, by=secretariat)
    assert practice not in Practice.objects.published()
    assert practice in Practice.objects.publicly_readable()


def test_an_archived_practice_cannot_be_edited(representative, secretariat, region):
    practice = PublishedPracticeFactory(region=region)
    services.practice_archive(practice=practice, by=secretariat)
    with pytest.raises(ValidationError):
        services.practice_update(practice=practice, by=representative, data=CONTENT)


def test_every_change_is_kept_in_history(representative, secretariat, region):
    practice = services.practice_create(region=region, by=representative, data=CONTENT)
    services.practice_submit(practice=practice, by=representative)
    services.practice_publish(practice=practice, by=secretariat)
    reasons = [h.history_change_reason for h in practice.history.order_by("history_date")]
    assert reasons == ["Created", "Submitted for review", "Published"]
    assert practice.history.first().history_user == secretariat


def test_the_search_column_is_normalised_on_save(region):
    practice = PracticeFactory(region=region, title="Göteborg Straße", body="", summary="")
    assert practice.search_text == "goteborg strasse stuttgart"
