"""Request checks that every URL of the site shares."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation

NUL = "\x00"


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
