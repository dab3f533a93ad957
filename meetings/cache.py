"""Pages that anonymous visitors see, served from the cache (CACHE_URL, shared by all web
processes) until something they show changes.

Rather than tracking which page shows what, every change to a model these pages show
moves one "generation" on, and cached pages are keyed by it: an edit anywhere makes all
of them stale at once. Edits are rare next to page views, so this costs little, and it
cannot serve a page that forgot to be invalidated. The timeout bounds what depends on
the clock alone (an event that has just ended leaving the upcoming list).
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "meetings:pages:generation"
TIMEOUT = 60


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def pages_changed(**kwargs) -> None:
    """Signal receiver (and plain function): makes every cached page stale."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _cacheable(request: HttpRequest) -> bool:
    # Anonymous GETs without a pending message look the same for everyone.
    return (
        request.method in {"GET", "HEAD"}
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
    )


def cached_for_visitors(view):
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        path = request.get_full_path().encode()
        key = f"meetings:page:{generation()}:{hashlib.sha256(path).hexdigest()}"
        hit = cache.get(key)
        if hit is not None:
            content, headers = hit
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, dict(response.items())), TIMEOUT)
        return response

    return wrapped
