"""Tests that need a real PostgreSQL, Redis or Chromium.

Without the service such a test is skipped on a developer's laptop, but with
REQUIRE_SERVICES=1 (as in CI) a missing service is a failure, never a silent skip.
"""

import os
import shutil
import socket

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "").strip() in {"1", "true", "yes"}


def missing(what: str) -> None:
    if services_required():
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not available.")
    pytest.skip(f"{what} is not available here.")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_redis() -> str:
    if not port_open("127.0.0.1", 6379):
        missing("Redis on 127.0.0.1:6379")
    return REDIS_URL


def require_postgresql() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL)")


def require_chromium() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing("Chromium at /usr/bin/chromium")
    return CHROMIUM
