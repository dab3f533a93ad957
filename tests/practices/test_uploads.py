import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import File

from practices import services
from practices.models import Attachment
from practices.uploads import MAX_SIZE, inspect_upload
from tests.factories.practices import PracticeFactory
from tests.practices.files import docx_bytes, pdf_bytes, png_bytes, upload


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("plan.pdf", pdf_bytes(), "pdf"), ("notes.docx", docx_bytes(), "docx"),
     ("chart.png", png_bytes(), "png")],
)  # fmt: skip
def test_a_real_document_is_recognised_by_its_content(name, content, kind):
    assert inspect_upload(upload(name, content)).kind == kind


def test_the_declared_content_type_is_ignored():
    checked = inspect_upload(upload("plan.pdf", pdf_bytes(), content_type="text/html"))
    assert checked.content_type == "application/pdf"


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        inspect_upload(upload(name, content))
    return error.value.code


def test_an_empty_file_is_refused():
    assert _refusal("plan.pdf", b"") == "empty"


def test_an_html_page_is_refused_whatever_its_name():
    assert _refusal("plan.pdf", b"<html><script>alert(1)</script></html>") == "type"


def test_an_executable_is_refused():
    assert _refusal("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200) == "type"


def test_a_png_named_pdf_is_refused_as_a_false_extension():
    assert _refusal("plan.pdf", png_bytes()) == "extension"


def test_a_pdf_without_its_end_is_refused_as_corrupt():
    assert _refusal("plan.pdf", pdf_bytes().replace(b"%%EOF", b"")) == "corrupt"


def test_a_truncated_png_is_refused_as_corrupt():
    assert _refusal("chart.png", png_bytes()[:-12]) == "corrupt"


def test_a_plain_zip_named_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hello")
    assert _refusal("notes.docx", buffer.getvalue()) == "type"


def test_a_damaged_docx_is_refused():
    content = bytearray(docx_bytes())
    content[60:80] = b"\x00" * 20  # inside the first member's compressed data
    assert _refusal("notes.docx", bytes(content)) in {"corrupt", "type"}


def test_an_oversized_file_is_refused():
    big = upload("plan.pdf", pdf_bytes())
    big.size = MAX_SIZE + 1
    with pytest.raises(ValidationError) as error:
        inspect_upload(big)
    assert error.value.code == "too_large"


@pytest.mark.parametrize("name", ["../../etc/plan.pdf", "C:plan.pdf", "..\\plan.pdf", ".pdf"])
def test_a_name_with_a_path_is_refused_by_the_service(name, db):
    practice = PracticeFactory()
    with pytest.raises(ValidationError):
        services.attachment_add(
            practice=practice, by=None, upload=File(io.BytesIO(pdf_bytes()), name=name)
        )
    assert not Attachment.objects.exists()


def test_an_attachment_is_stored_under_a_generated_name(db):
    practice = PracticeFactory()
    attachment = services.attachment_add(
        practice=practice, by=None, upload=upload("My plan 2024.pdf", pdf_bytes())
    )
    assert attachment.original_name == "My plan 2024.pdf"
    assert "plan" not in attachment.file.name
    assert attachment.file.name.startswith("attachments/")
    assert attachment.file.name.endswith(".pdf")
