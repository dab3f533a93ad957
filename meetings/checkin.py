"""Check-in at the door: the code each answer carries (Attendance.checkin_code) and the
address its QR code holds.

The QR code holds the check-in page's own address with the code, so the secretariat's
phone opens it with any camera app, also where the browser cannot read QR codes itself."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings


def checkin_url(attendance) -> str:
    """The absolute address in a participant's QR code: the meeting's check-in page, with
    the participant's code."""
    meeting = attendance.meeting
    query = urlencode({"code": attendance.checkin_code})
    return f"{settings.SITE_URL}/meetings/{meeting.slug}/check-in/?{query}"
