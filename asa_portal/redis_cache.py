"""Django's Redis cache, which the portal works without while Redis is away.

Everything the portal keeps in its cache can be built again from the database: visitors'
pages, members' fragments, the signed-in person, sessions (written through to the
database). So a Redis that is down, restarting or not answering fails no request: while
it errors, a read is a miss, a write is dropped, and each page is built from the
database, more slowly. One warning says when it went away and one line when it is back,
not one traceback per request. When it is back the portal's generation moves on: an edit
made meanwhile could not, and Redis may still hold what that edit changed (if it was
unreachable rather than restarted).

After an error Redis is left alone for RETRY_AFTER seconds: a Redis that accepts but
does not answer costs each call its socket timeout (settings.py), and a page makes
several calls, so without the pause a request would wait for each of them in turn.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 1.0
# Per server, for the whole process (Django makes a cache object per thread): the
# outage is logged once, however many threads meet it.
_outages: dict[str, _Outage] = {}


class _Outage:
    def __init__(self) -> None:
        self.since = time.monotonic()
        self.retry_at = self.since + RETRY_AFTER


_NOT_FOUND = object()


class DegradingRedisCache(RedisCache):
    """RedisCache whose calls answer as an empty cache would while Redis errors."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._name = server if isinstance(server, str) else ",".join(server)

    def _call(self, fallback, method, *args):
        """What `method` returns, or `fallback` (what an empty cache would answer) if
        Redis errors or is being left alone."""
        outage = _outages.get(self._name)
        if outage is not None:
            if time.monotonic() < outage.retry_at:
                return fallback
            try:
                self._cache.get_client(write=True).ping()
            except RedisError:
                outage.retry_at = time.monotonic() + RETRY_AFTER
                return fallback
            if _outages.pop(self._name, None) is not None:
                logger.warning(
                    "Cache available again after %.1f s.", time.monotonic() - outage.since
                )
                # Before anything is read from it: the edits made meanwhile could not.
                from asa_portal.cache import invalidate_public_pages

                invalidate_public_pages()
        try:
            return method(*args)
        except RedisError as error:
            outage = _Outage()
            if _outages.setdefault(self._name, outage) is outage:  # not already counted
                logger.warning(
                    "Cache unavailable (%s: %s): pages are built without it until it is back.",
                    error.__class__.__name__,
                    error,
                )
            return fallback

    def get(self, key, default=None, version=None):
        return self._call(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, super().has_key, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The keys that were not kept: all of them.
        return self._call(list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, super().touch, key, timeout, version)

    def incr(self, key, delta=1, version=None):
        value = self._call(_NOT_FOUND, super().incr, key, delta, version)
        if value is _NOT_FOUND:  # what incr says of a key the cache does not hold
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    def delete(self, key, version=None):
        return self._call(False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._call(None, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, super().clear)
