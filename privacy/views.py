from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from notifications.messages import secretariat_email

DAY = 24 * 60 * 60


def privacy(request: HttpRequest) -> HttpResponse:
    """What the portal keeps about a person, why, for how long and who sees it; the
    periods are the settings the nightly removal follows."""
    return render(
        request,
        "privacy/privacy.html",
        {
            "account_days": settings.SESSION_COOKIE_AGE // DAY,
            "outbox_days": settings.RETENTION_OUTBOX_DAYS,
            "inbound_raw_days": settings.RETENTION_INBOUND_RAW_DAYS,
            "signin_attempts_days": settings.RETENTION_SIGNIN_ATTEMPTS_DAYS,
            "guest_days": settings.RETENTION_GUEST_DAYS,
            "unconfirmed_hours": settings.REGISTRATION_CONFIRM_HOURS,
            "secretariat_email": secretariat_email(),
        },
    )
