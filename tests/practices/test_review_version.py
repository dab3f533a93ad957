"""The secretariat publishes the version it was sent, and editors read where they stand."""

import pytest
from django.core.exceptions import ValidationError

from practices import services
from practices.models import Practice
from tests.factories.practices import PracticeFactory, PublishedPracticeFactory
from tests.practices.files import pdf_bytes, upload

Status = Practice.Status
FORM = {
    "title": "Edited title",
    "language": "en",
    "summary": "Courses for technicians.",
    "body": "## Approach\n\nHands-on.",
}


def test_editing_a_submitted_practice_takes_it_back_to_draft(representative, region):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    services.practice_update(practice=practice, by=representative, data={"title": "Changed"})
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT
    assert practice not in Practice.objects.awaiting_review()


def test_a_submitted_practice_edited_after_submission_cannot_be_published_unread(
    representative, secretariat, region
):
    practice = PracticeFactory(region=region, title="Reviewed", status=Status.SUBMITTED)
    services.practice_update(practice=practice, by=representative, data={"title": "Unread"})
    with pytest.raises(ValidationError):
        services.practice_publish(practice=practice, by=secretariat)
    practice.refresh_from_db()
    assert practice.published_at is None


def test_editing_the_submitted_changes_of_a_published_practice_withdraws_them_from_review(
    representative, secretariat, region
):
    practice = PublishedPracticeFactory(region=region, title="Online")
    services.practice_update(practice=practice, by=representative, data={"title": "Sent"})
    services.practice_submit(practice=practice, by=representative)
    services.practice_update(practice=practice, by=representative, data={"title": "Unread"})
    with pytest.raises(ValidationError):
        services.practice_publish(practice=practice, by=secretariat)
    practice.refresh_from_db()
    assert (practice.title, practice.status) == ("Online", Status.DRAFT)


def test_adding_a_file_to_a_submitted_practice_takes_it_back_to_draft(representative, region):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    services.attachment_add(
        practice=practice, by=representative, upload=upload("plan.pdf", pdf_bytes())
    )
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT


def test_saving_a_submitted_practice_on_the_edit_page_says_it_is_back_to_draft(
    representative, region, client_for
):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    client = client_for(representative)
    page = client.get(f"/practices/{practice.slug}/edit/").content.decode()
    assert "Saving changes takes it back to draft" in page
    response = client.post(
        f"/practices/{practice.slug}/edit/", {**FORM, "action": "save"}, follow=True
    )
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT
    assert "back to draft, out of the review queue" in response.content.decode()


def test_save_and_submit_on_a_submitted_practice_sends_the_new_version(
    representative, secretariat, region, client_for
):
    practice = PracticeFactory(region=region, status=Status.SUBMITTED)
    client_for(representative).post(
        f"/practices/{practice.slug}/edit/", {**FORM, "action": "submit"}
    )
    practice.refresh_from_db()
    assert practice.status == Status.SUBMITTED
    services.practice_publish(practice=practice, by=secretariat)
    practice.refresh_from_db()
    assert practice.title == "Edited title"


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Status.DRAFT, "Published, with changes not yet submitted"),
        (Status.SUBMITTED, "Published, with changes in review"),
        (Status.RETURNED, "Published, with changes returned for rework"),
        (Status.PUBLISHED, "Published"),
    ],
)
def test_a_published_practice_with_pending_edits_is_labelled_published(
    representative, region, client_for, status, label
):
    practice = PublishedPracticeFactory(region=region, status=status)
    if status != Status.PUBLISHED:
        practice.pending = {"title": "Next version"}
        practice.save()
    client = client_for(representative)
    for url in (practice.get_absolute_url(), f"/practices/{practice.slug}/edit/"):
        html = client.get(url).content.decode()
        assert f">{label}</span>" in html, url
        assert ">Draft</span>" not in html, url


def test_the_region_page_labels_a_published_practice_with_changes_as_published(
    representative, region, client_for
):
    practice = PublishedPracticeFactory(region=region, title="Online")
    services.practice_update(practice=practice, by=representative, data={"title": "Next"})
    html = client_for(representative).get(region.get_absolute_url()).content.decode()
    assert "Published, with changes not yet submitted" in html
    assert ">Draft</span>" not in html


def test_a_draft_never_published_is_still_labelled_draft(representative, region, client_for):
    practice = PracticeFactory(region=region)
    html = client_for(representative).get(practice.get_absolute_url()).content.decode()
    assert ">Draft</span>" in html
