"""Settings for bench/meeting_page.py only: the site's settings as in production (DEBUG
off) plus a URLconf with a bare comparison view. Never used by the site itself."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Required with DEBUG off; the pages measured send no email.
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:25")

from asa_portal.settings import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# No collectstatic for a benchmark: plain static URLs.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Quiet, except for load.py --cache-fault, which measures what the site logs.
if os.environ.get("BENCH_SITE_LOGGING") != "1":
    LOGGING = {"version": 1, "disable_existing_loggers": False}
