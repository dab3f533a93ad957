"""Office documents are zips: one that unpacks out of all proportion is refused before it
costs memory, and a refused upload changes nothing."""

import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError

from practices import uploads
from practices.models import Attachment, Practice
from practices.uploads import inspect_upload
from tests.factories.practices import PublishedPracticeFactory
from tests.practices.files import bomb_docx, bomb_odt, docx_bytes, upload

MB = 1024 * 1024


def _refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload(name, content))
    return error.value


def test_a_docx_that_unpacks_a_thousand_times_its_size_is_refused_as_a_zip_bomb():
    content = bomb_docx(30 * MB)
    assert len(content) < 100 * 1024
    error = _refusal("notes.docx", content)
    assert error.code == "expansion"
    assert "possible zip bomb" in error.message


def test_a_docx_that_unpacks_beyond_the_absolute_limit_is_refused_whatever_its_ratio():
    content = bomb_docx(uploads.MAX_EXPANDED, noise=2 * MB)
    assert len(content) * uploads.MAX_RATIO > uploads.MAX_EXPANDED  # the ratio alone passes
    assert _refusal("notes.docx", content).code == "expansion"


def test_an_odt_whose_mimetype_unpacks_to_megabytes_is_refused():
    assert _refusal("notes.odt", bomb_odt(30 * MB)).code == "expansion"


def test_a_package_of_too_many_files_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_MEMBERS", 2)
    assert _refusal("notes.docx", docx_bytes()).code == "expansion"


def test_a_document_that_unpacks_in_proportion_is_accepted():
    content = bomb_docx(2 * MB, bomb_member="word/document.xml", noise=300 * 1024)
    assert inspect_upload(upload("notes.docx", content)).kind == "docx"


def test_checking_a_large_package_reads_its_members_a_bounded_chunk_at_a_time(monkeypatch):
    # With the expansion limits lifted, [Content_Types].xml of 40 MB is read to find the
    # type and inflated to check it: neither may hold more than a bounded part in memory.
    monkeypatch.setattr(uploads, "MAX_RATIO", 10**6)
    monkeypatch.setattr(uploads, "MAX_EXPANDED", 10**12)
    content = upload("notes.docx", bomb_docx(40 * MB))
    tracemalloc.start()
    try:
        checked = inspect_upload(content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert checked.kind == "docx"
    assert peak < 2 * MB


def test_a_refused_zip_bomb_leaves_the_practice_as_it_was(representative, region, client_for):
    practice = PublishedPracticeFactory(region=region, title="Online")
    response = client_for(representative).post(
        f"/practices/{practice.slug}/edit/",
        {
            "title": "Changed",
            "summary": practice.summary,
            "body": practice.body,
            "action": "submit",
            "attachments": [upload("notes.docx", bomb_docx(30 * MB))],
        },
    )
    assert response.status_code == 200
    assert "possible zip bomb" in response.content.decode()
    assert "Changed" in response.content.decode()  # what was typed is kept
    practice.refresh_from_db()
    assert (practice.title, practice.pending, practice.status) == (
        "Online",
        None,
        Practice.Status.PUBLISHED,
    )
    assert not Attachment.objects.exists()


def test_a_bomb_is_refused_from_its_directory_before_any_member_is_inflated(monkeypatch):
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(package, name, *args, **kwargs):
        opened.append(name)
        return real_open(package, name, *args, **kwargs)

    content = bomb_docx(30 * MB)
    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    assert _refusal("notes.docx", content).code == "expansion"
    assert opened == []
