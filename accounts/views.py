from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts import permissions, services, tokens
from accounts.backends import forget_person
from accounts.forms import AccountCloseForm, AppCodeForm, ProfileForm, SecondStepForm
from accounts.models import User
from accounts.signin import client_address
from asa_portal.cache import no_store
from notifications.messages import language_of


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        # The new language at once: this message already, and every page from the next.
        translation.activate(user.language)
        messages.success(request, gettext("Your profile has been saved."))
        response = redirect("profile")
        _remember_language(response, user.language)
        return response
    memberships = request.user.region_memberships.select_related("region")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own data as a JSON download (accounts.services)."""
    data = services.account_export(user=request.user)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="asa-portal-my-data.json"'
    return no_store(response)


# Set in the new, signed-out session, so the page after closing can say what was done.
CLOSED_SESSION_KEY = "account_closed"


@login_required
def account_close(request: HttpRequest) -> HttpResponse:
    """Asks for the password and a tick, closes the account (accounts.services), signs
    the person out and shows what was done."""
    form = AccountCloseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_close(user=request.user)
        logout(request)
        request.session[CLOSED_SESSION_KEY] = True
        return redirect("account_closed")
    context = {
        "form": form,
        "regions_left": services.regions_only_represented_by(request.user),
    }
    return render(request, "accounts/account_close.html", context)


def account_closed(request: HttpRequest) -> HttpResponse:
    """What closing did; only right after closing (the signed-out session says so)."""
    if not request.session.get(CLOSED_SESSION_KEY):
        return redirect("home")
    return render(request, "accounts/account_closed.html")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset page, with a limit on the emails one address or one
    client can cause (accounts.services.password_reset_throttle); the email goes through
    the outbox (accounts.services.password_reset_queue), never from the request."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        refusal = services.password_reset_throttle(
            email=email, client=client_address(self.request)
        )
        if refusal is None:
            # The same page whether the address has an account or not.
            services.password_reset_queue(email=email)
            return HttpResponseRedirect(self.get_success_url())
        retry_at = timezone.localtime(refusal.retry_at)
        values = {"time": f"{retry_at:%H:%M}", "zone": timezone.get_current_timezone_name()}
        if refusal.reason == "email":
            message = gettext(
                "Too many password reset requests for this address. Try again after "
                "%(time)s (%(zone)s time). A link we have already sent still works."
            )
        else:
            message = gettext(
                "Too many password reset requests for your connection. Try again after "
                "%(time)s (%(zone)s time). A link we have already sent still works."
            )
        form.add_error(None, message % values)
        return self.render_to_response(self.get_context_data(form=form), status=429)


def _remember_language(response: HttpResponse, language: str) -> None:
    """The language cookie too, so the portal stays in that language after signing out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language menu (/i18n/setlang/): Django's set_language (the cookie, then back
    to `next`), and for a signed-in person the profile's language too, so it sticks.

    A visitor's pages come from the public page cache, which cannot hold a CSRF token
    meant for one browser, so for visitors the menu is exempt: a forged post can change
    no more than the language cookie. A signed-in person's pages are never cached and
    carry the token, and their post saves the profile: for them the check stands.
    """
    if request.user.is_authenticated:
        refusal = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refusal is not None:
            return refusal
    response = i18n.set_language(request)
    language = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER, "")
    if request.user.is_authenticated and translation.check_for_language(language):
        services.user_language_set(user=request.user, language=language)
    return response


# -- pages of links in emails, reached without signing in ------------------------------
# GET only shows; a button (POST) changes, so mail scanners that follow links change
# nothing. A forged or outdated link gets a clear page, never a 500.


def link_problem(request: HttpRequest, heading: str, text: str, status: int) -> HttpResponse:
    return render(
        request,
        "link_problem.html",
        {"heading": heading, "text": text},
        status=status,
    )


def in_language_of(person):
    """The page in the language of the person whose link it is, as their email was (the
    active language when the link names nobody)."""
    language = language_of(person) if person is not None else translation.get_language()
    return translation.override(language)


# What each unsubscribe link turns off: how its token is read, the person's field, the page.
_UNSUBSCRIBE = {
    "reminders": (tokens.reminders_off_read, "meeting_reminders", "accounts/reminders_off.html"),
    "meeting_emails": (
        tokens.meeting_emails_off_read,
        "meeting_emails",
        "accounts/meeting_emails_off.html",
    ),
}


@csrf_exempt  # RFC 8058: mail programs post "List-Unsubscribe=One-Click" without a form
def reminders_off(request: HttpRequest, token: str) -> HttpResponse:
    return _turn_off(request, token, "reminders")


@csrf_exempt  # RFC 8058, as above
def meeting_emails_off(request: HttpRequest, token: str) -> HttpResponse:
    return _turn_off(request, token, "meeting_emails")


def _turn_off(request: HttpRequest, token: str, what: str) -> HttpResponse:
    read, field, template = _UNSUBSCRIBE[what]
    try:
        person_id = read(token)
    except signing.BadSignature:
        person_id = None
    person = (
        User.objects.filter(pk=person_id, closed_at__isnull=True).first() if person_id else None
    )
    with in_language_of(person):
        if person is None:
            return link_problem(
                request,
                _("This link is not valid"),
                _("Sign in and choose the emails you get on your profile page instead."),
                404,
            )
        done = False
        if request.method == "POST":
            User.objects.filter(pk=person.pk).update(**{field: False})
            forget_person(person.pk)
            done = True
        return render(request, template, {"person": person, "done": done})


# -- The secretariat's second factor: admin pages (asa_portal.admin_site adds them) -------
# The set-up page and the second step open to the secretariat before the second step is
# passed; every other admin page waits for it (permissions.admin_second_step).

# The secret being set up, until a code from the app confirms it.
SETUP_KEY = "second_factor_key"
# Recovery codes just made: the next page shows them, once.
NEW_CODES = "second_factor_new_codes"


def _admin_page(request: HttpRequest, template: str, context: dict, status: int = 200):
    from django.contrib import admin  # the portal's admin site (PortalAdminConfig)

    context = {**admin.site.each_context(request), **context}
    return TemplateResponse(request, template, context, status=status)


def _next(request: HttpRequest) -> str:
    """Where the person was going (`next`), if it is on this site; else the admin's home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def second_factor(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: its QR code and its secret as text, then a code
    from it to confirm. Once set up, it leads to the recovery codes' page."""
    user = request.user
    if permissions.has_second_factor(user):
        if not permissions.passed_second_step(user):
            return redirect(_with_next("admin:second_factor_verify", request.get_full_path()))
        return redirect("admin:recovery_codes")
    key = request.session.get(SETUP_KEY) or services.second_factor_new_key()
    request.session[SETUP_KEY] = key
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = services.second_factor_confirm(user=user, key=key, code=form.cleaned_data["code"])
        if done is not None:
            device, codes = done
            otp_login(request, device)
            del request.session[SETUP_KEY]
            request.session[NEW_CODES] = codes
            return redirect(_with_next("admin:recovery_codes", _next(request)))
        form.add_error(
            "code",
            gettext(
                "That is not the app's code of the moment. Check that the app shows the "
                "account you just added, and that your phone's clock is set automatically."
            ),
        )
    qr = segno.make(services.second_factor_address(user=user, key=key), error="m")
    return _admin_page(
        request,
        "admin/accounts/second_factor_set_up.html",
        {
            "title": gettext("Protect this account with a second factor"),
            "form": form,
            # Drawn by segno from the address alone: nothing typed by anyone is in it.
            "qr_svg": mark_safe(qr.svg_inline(scale=4, border=2, dark="#000", light="#fff")),  # noqa: S308
            "secret": services.second_factor_secret(key),
            "required": settings.STAFF_2FA == "required",
            "next": _next(request),
        },
    )


def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the app or a recovery code."""
    user = request.user
    if permissions.passed_second_step(user) or not permissions.has_second_factor(user):
        return redirect(_next(request))
    form = SecondStepForm(request.POST or None)
    paused_until = services.second_step_paused_until(user=user)
    if request.method == "POST" and paused_until is None and form.is_valid():
        step = services.second_step_verify(user=user, code=form.cleaned_data["code"])
        if step.device is not None:
            # A new session key for the session that now opens the admin.
            request.session.cycle_key()
            otp_login(request, step.device)
            return redirect(_next(request))
        paused_until = step.paused_until
        if paused_until is None:
            form.add_error(
                "code",
                ngettext(
                    "That code is not right. After %(count)d more wrong code, the second "
                    "step pauses for %(minutes)d minutes.",
                    "That code is not right. After %(count)d more wrong codes, the second "
                    "step pauses for %(minutes)d minutes.",
                    step.tries_left,
                )
                % {"count": step.tries_left, "minutes": _pause_minutes()},
            )
    return _admin_page(
        request,
        "admin/accounts/second_factor_verify.html",
        {
            "title": gettext("Second step: a code"),
            "form": form,
            "paused_until": paused_until and timezone.localtime(paused_until),
            "minutes": _pause_minutes(),
            "failure_limit": settings.SECOND_STEP_FAILURE_LIMIT,
            "zone": settings.TIME_ZONE,
            "next": _next(request),
        },
        status=429 if paused_until else 200,
    )


def _pause_minutes() -> int:
    return int(settings.SECOND_STEP_PAUSE.total_seconds() // 60)


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once; a button makes new ones (the old ones
    then stop working)."""
    user = request.user
    if not permissions.has_second_factor(user):
        return redirect("admin:second_factor")
    if request.method == "POST":
        request.session[NEW_CODES] = services.recovery_codes_make(user=user)
        return redirect(_with_next("admin:recovery_codes", _next(request)))
    return _admin_page(
        request,
        "admin/accounts/recovery_codes.html",
        {
            "title": gettext("Recovery codes"),
            "codes": request.session.pop(NEW_CODES, None),
            "codes_left": services.recovery_codes_left(user=user),
            "next": _next(request),
        },
    )
