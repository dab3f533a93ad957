"""Pages that anonymous visitors see, served from the shared cache (CACHE_URL).

Such a page changes only when someone edits what it shows. Rather than tracking which
page shows what, every change to the portal's data moves one "generation" on, and cached
pages are keyed by it: an edit anywhere makes all of them stale at once. Edits are rare
next to page views, so this costs little, and no page can forget to be invalidated. The
timeout bounds what depends on the clock alone (an event that has just ended leaving the
upcoming list). Signed-in people are never served from this cache; their pages are kept
cheap instead (a fixed, small number of queries).
"""

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "public-pages:generation"
PAGE_TIMEOUT = 60
PORTAL_APPS = {"accounts", "regions", "meetings", "practices"}


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY, 0)
    return value


def invalidate_public_pages() -> None:
    """Makes every cached page stale. Signals call it; so must code that uses update()."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _cacheable(request: HttpRequest) -> bool:
    # Anonymous GETs without a pending message look the same for everyone.
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
            path = request.get_full_path().encode()
            key = f"public-pages:{generation()}:{hashlib.sha256(path).hexdigest()}"
            hit = cache.get(key)
            if hit is not None:
                content, headers = hit
                response = HttpResponse(content, headers=headers)
            else:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming and not response.cookies:
                    cache.set(key, (response.content, dict(response.items())), PAGE_TIMEOUT)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def _on_change(sender, **kwargs) -> None:
    if sender._meta.app_label in PORTAL_APPS:
        invalidate_public_pages()


def connect_invalidation() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"public-pages-{id(signal)}")
