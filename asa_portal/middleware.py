"""Request checks that every URL of the site shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import asdict

import csp.middleware
from csp.middleware import PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation

from asa_portal import views

NUL = "\x00"
HEALTHZ = "/healthz"


class HealthCheckMiddleware:
    """Answers /healthz before the session and the person are read, whoever asks.

    Further in, a session cookie makes the middleware read the session and the person,
    from the cache or the database: with the database down that would fail the request
    (500) before the view could answer 503 and name it. urls.py routes the address too
    (for reverse() and the access table); this answers it first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTHZ:
            return views.healthz(request)
        return self.get_response(request)


class NulCharactersMiddleware:
    """A NUL character in an address is never a real page or a real search.

    PostgreSQL refuses text holding NUL (psycopg raises DataError), so a lookup of
    `/groups/%00/` or `?working_group=%00` would be a 500 there and a 404 on SQLite. This
    answers 404 for such a path or query string before any view looks anything up, and
    ignores a cookie holding NUL (a forged session cookie is no session), for every URL.

    It sits before SessionMiddleware (for the cookies) and refuses in process_view, which
    runs after the sign-in middleware, so the 404 page knows who is asking.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name, value in list(request.COOKIES.items()):
            if NUL in name or NUL in value:
                del request.COOKIES[name]
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if NUL in request.path_info or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise Http404("No page has a NUL character in its address.")


class PersonLanguageMiddleware:
    """A signed-in person reads the portal in their profile's language (User.language),
    whatever the language cookie or the browser says; a visitor keeps what
    LocaleMiddleware chose (the cookie, else Accept-Language, else English).

    It sits after AuthenticationMiddleware, which tells who is asking. LocaleMiddleware,
    further out, still adds `Vary: Accept-Language` and Content-Language on the way back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = person_language(user)
            if language is not None:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def person_language(user) -> str | None:
    """The person's language if the portal offers it (a language taken out of LANGUAGES
    falls back to the visitor's choice), else None."""
    try:
        return translation.get_supported_language_variant(user.language)
    except LookupError:
        return None


_POLICY_CHANGES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@functools.cache
def _site_policy() -> str:
    return build_policy(**asdict(PolicyParts()))


@receiver(setting_changed)
def _forget_site_policy(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _site_policy.cache_clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp, with the site's policy built once rather than for every response (it
    took a seventh of the time of a page served from the cache). A response that changes
    the policy (csp_exempt, csp_update, csp_replace), a page that used a nonce, or a
    report-only policy in the settings take django-csp's own way."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _POLICY_CHANGES)
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        excluded = (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES") or ()
        if csp.middleware.HEADER not in response and not request.path_info.startswith(
            tuple(excluded)
        ):
            response[csp.middleware.HEADER] = _site_policy()
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
