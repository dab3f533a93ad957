"""Titles, contacts and file names stay on one line (they go into email subjects and
file names)."""

import pytest
from django.core.exceptions import ValidationError

from practices import services
from practices.models import Attachment, Practice
from tests.factories.practices import PublishedPracticeFactory
from tests.practices.files import pdf_bytes, upload

CONTENT = {
    "title": "Battery skills",
    "language": "en",
    "summary": "Short courses.",
    "body": "## How",
}


@pytest.mark.parametrize("field", ["title", "contact"])
@pytest.mark.parametrize("text", ["Two\nlines", "Tab\there", "Line\u2028separator"])
def test_a_one_line_field_with_a_line_break_is_refused(representative, region, field, text):
    with pytest.raises(ValidationError) as error:
        services.practice_create(region=region, by=representative, data={**CONTENT, field: text})
    assert field in error.value.message_dict
    assert not Practice.objects.exists()


def test_pending_edits_of_a_published_practice_keep_titles_on_one_line(representative, region):
    practice = PublishedPracticeFactory(region=region, title="Online")
    with pytest.raises(ValidationError):
        services.practice_update(practice=practice, by=representative, data={"title": "A\nB"})
    practice.refresh_from_db()
    assert practice.pending is None


def test_the_write_page_says_the_title_must_be_one_line_and_keeps_the_text(
    representative, region, client_for
):
    response = client_for(representative).post(
        "/practices/new/",
        {**CONTENT, "title": "Two\r\nlines", "region": region.pk, "action": "save"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "without line breaks" in html
    assert "Short courses." in html
    assert not Practice.objects.exists()


def test_a_file_name_with_a_line_separator_is_refused(representative, region):
    practice = services.practice_create(region=region, by=representative, data=CONTENT)
    with pytest.raises(ValidationError, match="line break"):
        services.attachment_add(
            practice=practice, by=representative, upload=upload("a\u2028b.pdf", pdf_bytes())
        )
    assert not Attachment.objects.exists()
