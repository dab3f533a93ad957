"""Small but real documents and images, built in the tests (no fixtures on disk)."""

import io
import os
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def _stream(package: zipfile.ZipFile, name: str, head: bytes, filler: int) -> None:
    """Writes a member of `head` and then `filler` spaces, a megabyte at a time."""
    with package.open(name, "w", force_zip64=True) as member:
        member.write(head)
        megabyte = b" " * (1024 * 1024)
        for _ in range(filler // len(megabyte)):
            member.write(megabyte)
        member.write(b" " * (filler % len(megabyte)))


def bomb_docx(inflated: int, *, bomb_member: str = "[Content_Types].xml", noise: int = 0):
    """A valid-looking .docx whose `bomb_member` unpacks to `inflated` more bytes of
    spaces (a thousand to one), with `noise` random bytes stored beside it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        head = CONTENT_TYPES.encode() if bomb_member == "[Content_Types].xml" else b""
        _stream(package, bomb_member, head, inflated)
        if bomb_member != "[Content_Types].xml":
            package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", "<Relationships/>")
        if bomb_member != "word/document.xml":
            package.writestr("word/document.xml", "<w:document/>")
        if noise:
            package.writestr("media/noise.bin", os.urandom(noise), zipfile.ZIP_STORED)
    return buffer.getvalue()


def bomb_odt(inflated: int) -> bytes:
    """An .odt whose `mimetype` member unpacks to `inflated` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        _stream(package, "mimetype", b"application/vnd.oasis.opendocument.text", inflated)
        package.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()
