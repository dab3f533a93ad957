"""Checks an uploaded attachment by its content, never by its name or declared type.

`inspect_upload` either returns what the file really is, or raises ValidationError with
a message meant for the person who uploaded it.
"""

import os
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from asa_portal.validators import validate_single_line

MAX_SIZE = 20 * 1024 * 1024
# Zip packages (office documents): what they may unpack to, and how they are read.
MAX_EXPANDED = 100 * 1024 * 1024  # all members together, inflated
MAX_RATIO = 100  # inflated size / package size; real documents stay far below
RATIO_FLOOR = 256 * 1024  # a small package may still unpack to 100 x 256 KB
MAX_MEMBERS = 5000
MAX_MIMETYPE_READ = 100  # "application/vnd.oasis.opendocument.text" is 39 bytes
MAX_CONTENT_TYPES_READ = 256 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    label: str  # lazy: in the uploader's language
    content_type: str
    extensions: tuple[str, ...]  # the first is the canonical one


KINDS = {
    "pdf": Kind(_("PDF document"), "application/pdf", ("pdf",)),
    "docx": Kind(
        _("Word document"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    "pptx": Kind(
        _("PowerPoint presentation"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
    "xlsx": Kind(
        _("Excel workbook"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    "odt": Kind(_("OpenDocument text"), "application/vnd.oasis.opendocument.text", ("odt",)),
    "png": Kind(_("PNG image"), "image/png", ("png",)),
    "jpeg": Kind(_("JPEG image"), "image/jpeg", ("jpg", "jpeg")),
}
ACCEPT = ",".join(f".{ext}" for kind in KINDS.values() for ext in kind.extensions)
ALLOWED_TEXT = _("PDF, DOCX, PPTX, XLSX, ODT, PNG or JPEG, up to 20 MB")

# The part each Office Open XML package must contain, by kind.
OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
    "xlsx": "xl/workbook.xml",
}


# What a damaged or hostile zip can raise while being read (encrypted: RuntimeError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
)


@dataclass(frozen=True)
class Checked:
    kind: str
    content_type: str
    extension: str
    name: str
    size: int


def inspect_upload(upload) -> Checked:
    """What an uploaded file is; ValidationError if it is not one we accept.

    Refused: a name with a path or control characters, an empty or oversized file, a type
    not on the list (by content), a name whose extension differs from the content, and a
    document that is corrupt (a broken zip package, a PDF without its end, a truncated
    image).
    """
    name = _checked_name(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(gettext("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > MAX_SIZE:
        raise ValidationError(
            gettext("“%(name)s” is %(size)s; attachments may be up to 20 MB.")
            % {"name": name, "size": filesizeformat(size)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    kind = _kind_of(upload, head, name, size)
    if kind is None:
        raise ValidationError(
            gettext("“%(name)s” is not a file type we accept (%(allowed)s).")
            % {"name": name, "allowed": ALLOWED_TEXT},
            code="type",
        )
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in KINDS[kind].extensions:
        raise ValidationError(
            gettext(
                "“%(name)s” is a file of type “%(kind)s” but its name ends in "
                "“.%(extension)s”. Rename it to end in .%(expected)s."
            )
            % {
                "name": name,
                "kind": KINDS[kind].label,
                "extension": extension,
                "expected": KINDS[kind].extensions[0],
            },
            code="extension",
        )
    _check_intact(upload, kind, name, size)
    upload.seek(0)
    return Checked(kind, KINDS[kind].content_type, KINDS[kind].extensions[0], name, size)


def _checked_name(name: str) -> str:
    # Django already drops directories from uploaded names; callers of the service may not.
    if not name or "/" in name or "\\" in name or ":" in name or name.startswith("."):
        raise ValidationError(
            gettext("“%(name)s” is not a plain file name (no folders or drive letters).")
            % {"name": name},
            code="name",
        )
    # Format characters (Cf, e.g. a right-to-left override) too, and line separators.
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ValidationError(gettext("The file name contains control characters."), code="name")
    try:
        validate_single_line(name)
    except ValidationError as error:
        raise ValidationError(
            gettext("The file name contains a line break."), code="name"
        ) from error
    name = re.sub(r"\s+", " ", name).strip()
    stem, ext = os.path.splitext(name)
    return f"{stem[:150]}{ext[:10]}"


def _kind_of(upload, head: bytes, name: str, size: int) -> str | None:
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime == "application/pdf":
        return "pdf"
    if mime == "image/png":
        return "png"
    if mime == "image/jpeg":
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload, name, size)
    return None


def _zip_kind(upload, name: str, size: int) -> str | None:
    """An office document is a zip: look inside for what makes it one.

    The expansion is checked from the directory before any member is read, and the two
    small parts read here are read with a bound, so a zip bomb costs neither memory nor
    time.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            _check_expansion(package, name, size)
            names = set(package.namelist())
            if "mimetype" in names:
                mimetype = _read_at_most(package, "mimetype", MAX_MIMETYPE_READ).strip()
                if mimetype == KINDS["odt"].content_type.encode() and "content.xml" in names:
                    return "odt"
                return None
            if "[Content_Types].xml" not in names:
                return None
            types = _read_at_most(package, "[Content_Types].xml", MAX_CONTENT_TYPES_READ)
            for kind, part in OOXML_MAIN_PART.items():
                if part in names and KINDS[kind].content_type.split("/")[1].encode() in types:
                    return kind
    except ZIP_ERRORS:
        return None
    return None


def expansion_limit(size: int) -> int:
    """How many bytes a package of `size` bytes may unpack to: MAX_RATIO times its size
    (counted as at least RATIO_FLOOR, so small documents are not held to a tight ratio),
    and never more than MAX_EXPANDED."""
    return min(MAX_EXPANDED, MAX_RATIO * max(size, RATIO_FLOOR))


def _bomb(name: str, size: int, expanded: int) -> ValidationError:
    return ValidationError(
        gettext(
            "“%(name)s” would unpack to %(expanded)s, far more than a document of %(size)s "
            "should. It was refused as a possible zip bomb; if it is a real document, save "
            "it again (or as PDF) and upload that."
        )
        % {"name": name, "expanded": filesizeformat(expanded), "size": filesizeformat(size)},
        code="expansion",
    )


def _check_expansion(package: zipfile.ZipFile, name: str, size: int) -> None:
    """Refuses a package whose directory declares too many members or too much content."""
    members = package.infolist()
    if len(members) > MAX_MEMBERS:
        raise ValidationError(
            gettext("“%(name)s” holds %(count)s files; a document has at most %(max)s.")
            % {"name": name, "count": len(members), "max": MAX_MEMBERS},
            code="expansion",
        )
    declared = sum(member.file_size for member in members)
    if declared > expansion_limit(size):
        raise _bomb(name, size, declared)


def _read_at_most(package: zipfile.ZipFile, member: str, limit: int) -> bytes:
    """The first `limit` bytes of a member: never more is inflated, whatever it declares."""
    with package.open(member) as handle:
        return handle.read(limit)


def _check_intact(upload, kind: str, name: str, size: int) -> None:
    corrupt = ValidationError(
        gettext("“%(name)s” seems damaged: it could not be read as a file of type “%(kind)s”.")
        % {"name": name, "kind": KINDS[kind].label},
        code="corrupt",
    )
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    if kind == "pdf" and b"%%EOF" not in tail:
        raise corrupt
    if kind == "png" and not tail.endswith(b"IEND\xaeB`\x82"):
        raise corrupt
    if kind == "jpeg" and not tail.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise corrupt
    if kind in OOXML_MAIN_PART or kind == "odt":
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as package:
                _check_expansion(package, name, size)
                _inflate_all(package, name, size)
        except ZIP_ERRORS as error:
            raise corrupt from error


def _inflate_all(package: zipfile.ZipFile, name: str, size: int) -> int:
    """Inflates every member in chunks and checks its CRC (zipfile does at the end of
    each), so truncated or altered packages fail; returns the bytes inflated.

    Memory stays at one chunk. zipfile never returns more than a member declares, and the
    running total is held to the same limit as the declared one, so a directory that
    understates its members cannot make this work harder than an honest one.
    """
    limit, inflated = expansion_limit(size), 0
    for member in package.infolist():
        with package.open(member) as handle:
            while chunk := handle.read(CHUNK):
                inflated += len(chunk)
                if inflated > limit:
                    raise _bomb(name, size, inflated)
    return inflated
