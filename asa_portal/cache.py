"""Pages that anonymous visitors see, served from the shared cache (CACHE_URL).

Such a page changes only when someone edits what it shows, so each cached copy is keyed
by a site-wide version that any change to the portal's data raises: one edit invalidates
every public page at once, which is simple and never shows stale content. Signed-in
people are never served from this cache; their pages are cheap by design instead.
"""

import hashlib
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_vary_headers

VERSION_KEY = "public-pages:version"
# Lists of upcoming events also change as time passes, so no copy lives forever.
PAGE_TIMEOUT = 300
PORTAL_APPS = {"accounts", "regions", "meetings", "practices"}


def public_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def invalidate_public_pages() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key was evicted or never set
        cache.set(VERSION_KEY, 2, timeout=None)


def _page_key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-pages:{public_version()}:{digest}"


def _cacheable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(response, "streaming", False)
    )


def public_page(view):
    """Caches the view's page for anonymous visitors until the portal's data changes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated or len(get_messages(request)):
            response = view(request, *args, **kwargs)
        else:
            key = _page_key(request)
            response = cache.get(key)
            if response is None:
                response = view(request, *args, **kwargs)
                if _cacheable(request, response):
                    cache.set(key, response, PAGE_TIMEOUT)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper


def _on_change(sender, **kwargs) -> None:
    if sender._meta.app_label in PORTAL_APPS:
        invalidate_public_pages()


def connect_invalidation() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"public-pages-{id(signal)}")
