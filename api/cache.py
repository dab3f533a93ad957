"""The API's answers, served from the shared cache with ETag and Last-Modified.

The API shows public data only, the same to everyone, so one cached answer per address
serves every caller. Entries are keyed by the public pages' generation
(asa_portal.cache), which every change to the portal's data moves on, and expire after
the same PAGE_TIMEOUT, which bounds what depends on the clock alone (an event that has
just ended leaving the upcoming list).

ETag is a hash of the body. Last-Modified is when this address first answered with that
body: kept beside the entry, it stays the same while the body does and moves on (by at
least a second, HTTP dates have no finer grain) when the body changes, so a client that
only sends If-Modified-Since never gets a 304 for a body it has not seen.
ConditionalGetMiddleware turns both into 304 answers.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from asa_portal.cache import PAGE_TIMEOUT, generation

# How long the time an address's body last changed is remembered; forgetting it only
# costs a client one full answer.
LAST_MODIFIED_TIMEOUT = 24 * 60 * 60


def _last_modified(address_key: str, etag: str) -> int:
    key = f"api:last-modified:{address_key}"
    known = cache.get(key)
    if known is not None and known[0] == etag:
        return known[1]
    # Whole seconds, rounded down: never later than the answer's Date, as HTTP requires
    # (only two bodies within one second move it a second ahead).
    stamp = math.floor(time.time())
    if known is not None and stamp <= known[1]:
        stamp = known[1] + 1
    cache.set(key, (etag, stamp), LAST_MODIFIED_TIMEOUT)
    return stamp


def cached_answer(request: HttpRequest, produce: Callable[[], HttpResponse]) -> HttpResponse:
    """The answer for this address from the cache, else `produce()`'s, stored if 200."""
    if request.method not in {"GET", "HEAD"}:
        return produce()
    # The whole address, host included: answers carry absolute links.
    address_key = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    key = f"api:{generation()}:{address_key}"
    hit = cache.get(key)
    if hit is not None:
        content, headers = hit
        return HttpResponse(content, headers=headers)
    response = produce()
    if response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render"):
        response.render()
    set_response_etag(response)
    response["Last-Modified"] = http_date(_last_modified(address_key, response["ETag"]))
    # Browsers may keep it as long as the server does; then they ask with the validators.
    patch_cache_control(response, public=True, max_age=PAGE_TIMEOUT)
    cache.set(key, (response.content, dict(response.items())), PAGE_TIMEOUT)
    return response
