"""Sign-in throttling with django-axes: who the client is, whose account an attempt is
for, and the page a person sees while sign-in is refused (settings: AXES_*)."""

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import normalise_email


def client_address(request: HttpRequest) -> str:
    """The address the request came from. Behind TRUSTED_PROXY_COUNT proxies it is the
    address the outermost of them saw; without that setting X-Forwarded-For is ignored,
    since a client can write anything into it to escape the limits."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def username_of(request: HttpRequest, credentials: dict | None) -> str:
    """The address in the form that finds the account (accounts.models.normalise_email),
    so failures for Member@… and member@… count against one account, and no other
    spelling reaches the account while it is paused."""
    credentials = credentials or {}
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) or credentials.get("username")
    if username is None:
        username = request.POST.get(field) or request.POST.get("username") or ""
    return normalise_email(str(username))


def retry_time(now: dt.datetime | None = None) -> dt.datetime:
    """When sign-in opens again: each refused attempt starts the wait again
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so it is a full cool-off from now."""
    return (now or timezone.now()) + settings.AXES_COOLOFF_TIME


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page for a sign-in refused after too many failures, on the site and in the
    admin: what happened and when to try again (429 Too Many Requests)."""
    retry_at = timezone.localtime(retry_time())
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "accounts/locked_out.html",
        {
            "retry_at": retry_at,
            "minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "zone": settings.TIME_ZONE,
        },
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def forget_own_failures(sender, request, user, **kwargs) -> None:
    """A successful sign-in clears the failed passwords typed for that account only.
    django-axes' own reset (AXES_RESET_ON_SUCCESS) also clears every failure from the
    same address, so that anyone with an account could guess at another's password four
    times, sign in to their own, and start again."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username=normalise_email(user.email)).delete()


def connect_forgetting_own_failures() -> None:
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(forget_own_failures, dispatch_uid="forget-own-sign-in-failures")
