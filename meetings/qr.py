"""The QR code for the door: it holds meetings.checkin.checkin_url (the check-in page's
address with the person's code), as a PNG for emails and as SVG for the person's page.

Error correction M (15 %): a code printed on paper or shown on a cracked phone screen
still reads; the address fits a version 5 symbol (37 modules)."""

from __future__ import annotations

import io

import segno

from meetings.checkin import checkin_url


def _symbol(attendance) -> segno.QRCode:
    return segno.make(checkin_url(attendance), error="m", micro=False)


def checkin_qr_png(attendance) -> tuple[bytes, int]:
    """A PNG of 6 px a module with the quiet zone the standard asks for (4 modules), and
    its width in pixels (it is square)."""
    symbol = _symbol(attendance)
    out = io.BytesIO()
    symbol.save(out, kind="png", scale=6, border=4)
    width, _height = symbol.symbol_size(scale=6, border=4)
    return out.getvalue(), width


def checkin_qr_svg(attendance, *, title: str) -> str:
    """Inline SVG (no style attribute, so the page's CSP allows it) on a white ground, so
    that a phone's camera reads it in a dark theme too; `title` is its accessible name."""
    return _symbol(attendance).svg_inline(
        scale=5, border=4, title=title, svgclass="checkin-qr", dark="#000", light="#fff"
    )
