"""The portal's cache (CACHE_URL): whole pages for visitors, shared fragments for members.

Such a page changes only when someone edits what it shows. Rather than tracking which
page shows what, every change to the portal's data moves one "generation" on, and cached
pages and fragments are keyed by it: an edit anywhere makes all of them stale at once.
Edits are rare next to page views, so this costs little, and no page can forget to be
invalidated. The generation lives in the cache itself, which every web process shares
(a folder on one machine, Redis across machines), so an edit in one process reaches all
of them with their next request. The timeout bounds what depends on the clock alone (an
event that has just ended leaving the upcoming list).

Signed-in people are never served whole pages from this cache, nor written to it: their
pages are built each time from fragments that are the same for every member (an agenda,
a participant list, a list of practice cards) and a few queries of their own, and are
sent with `Cache-Control: private` so that no proxy keeps them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.cache import cache
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

GENERATION_KEY = "public-pages:generation"
PAGE_TIMEOUT = 60
# "auth" for its groups: being in the secretariat's is part of what is kept of a person
# (accounts.backends).
PORTAL_APPS = {"accounts", "auth", "regions", "meetings", "practices"}
T = TypeVar("T")


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def invalidate_public_pages() -> None:
    """Makes every cached page and fragment stale. Signals call it; so must code that
    uses update()."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _cacheable(request: HttpRequest) -> bool:
    # Anonymous GETs without a pending message look the same for everyone. The session
    # cookie alone proves nothing either way: request.user is what decides.
    return (
        request.method in {"GET", "HEAD"}
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def public_page(view):
    """Caches the view's page for anonymous visitors until the portal's data changes."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            response = view(request, *args, **kwargs)
        else:
            # One copy per language: the same address reads differently in each.
            digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
            key = f"public-pages:{generation()}:{get_language()}:{digest}"
            hit = cache.get(key)
            if hit is not None:
                content, headers = hit
                response = HttpResponse(content, headers=headers)
            else:
                response = view(request, *args, **kwargs)
                if _storable(request, response):
                    # Kept with its ETag, which ConditionalGetMiddleware would otherwise
                    # hash again from the content on every hit.
                    set_response_etag(response)
                    cache.set(key, (response.content, dict(response.items())), PAGE_TIMEOUT)
        # The language comes from the cookie or Accept-Language (LocaleMiddleware adds
        # the latter), so a shared cache must keep a copy per both.
        patch_vary_headers(response, ["Accept-Language", "Cookie"])
        return response

    return wrapper


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    # Checked again after the view: a view that signed someone in, set a cookie or
    # marked its answer private or uncacheable is never shared.
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.user.is_authenticated
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _fragment_key(kind: str, owner, name: str, *parts) -> str:
    """Under the current generation; the parts hashed, so that any value makes a key."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"{kind}:{generation()}:{owner}:{name}:{digest}"


def shared_fragment(name: str, *parts, build: Callable[[], T]) -> T:
    """What `build` returns, kept until the portal's data changes: for what is the same for
    every member (never anything personal; the name and parts say what it is of). None
    is not kept: an unknown address costs its query each time, and fills nothing.
    Kept per language: a fragment's labels are in the language it was built in."""
    key = _fragment_key("shared", get_language(), name, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, PAGE_TIMEOUT)
    return value


def personal_fragment(name: str, user, *parts, build: Callable[[], T]) -> T:
    """What `build` returns for one signed-in person (None too: "no answer yet" is the
    common case), kept under the same generation as the shared fragments, so that any
    change to the portal's data (their own answer included) reads it again."""
    key = _fragment_key("personal", user.pk, name, *parts)
    hit = cache.get(key)
    if hit is None:
        hit = (build(),)
        cache.set(key, hit, PAGE_TIMEOUT)
    return hit[0]


def audience(user) -> str:
    """Everything a shared fragment may differ by between two people: what they may see.
    None: a fragment that is the same for everyone (published content only)."""
    from accounts import permissions

    if user is None:
        return "everyone"
    if permissions.is_secretariat(user):
        return "secretariat"
    return "member" if permissions.is_member(user) else "visitor"


def shared_html(template_name: str, *parts, user, context: Callable[[], dict]) -> str:
    """A partial template rendered once for everyone in the user's audience (and the
    parts), under the same invalidation as the visitors' pages. It is rendered without
    the request, so no context processor can put anything personal into it."""
    return mark_safe(  # noqa: S308 (the template engine escaped it when it was rendered)
        shared_fragment(
            template_name,
            audience(user),
            *parts,
            build=lambda: render_to_string(template_name, context()),
        )
    )


class PrivatePagesMiddleware:
    """Every answer to a signed-in person says `Cache-Control: private`, so no proxy
    keeps it; a view that said `no-store` (online links, participant lists) keeps that."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response


def no_store(response: HttpResponse) -> HttpResponse:
    """For pages that show an online link or who takes part: kept by nobody."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _invalidate_on_commit(using: str) -> None:
    """Moves the generation again once the change is committed.

    The signal fires inside the transaction; another process that renders in between
    still reads the old rows and would keep them under the new generation. A second move
    after the commit leaves that copy behind. Registered once per transaction: the list
    of commit callbacks is a new one after each commit or rollback.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        return
    pending = connection.run_on_commit
    if getattr(connection, "_public_pages_on_commit", None) is pending:
        return
    transaction.on_commit(invalidate_public_pages, using=using)
    connection._public_pages_on_commit = connection.run_on_commit


def _on_change(sender, **kwargs) -> None:
    if sender._meta.app_label not in PORTAL_APPS:
        return
    # Signing in saves last_login, the language menu a person's language: no page shows
    # either.
    if set(kwargs.get("update_fields") or ()) in ({"last_login"}, {"language"}):
        return
    invalidate_public_pages()
    _invalidate_on_commit(kwargs.get("using") or "default")


def connect_invalidation() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"public-pages-{id(signal)}")
