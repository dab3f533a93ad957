"""The site's URLs plus /bench/bare/: a bare view answering a static page of the same
size as the meeting page (written by bench/meeting_page.py before the server starts)."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from asa_portal.urls import handler403  # noqa: F401
from asa_portal.urls import urlpatterns as site_urlpatterns

BARE_PAGE = Path(os.environ.get("BENCH_BARE_PAGE", "/tmp/bench-bare.html"))
_body = BARE_PAGE.read_bytes() if BARE_PAGE.exists() else b"<!doctype html><title>bare</title>"


def bare(request):
    return HttpResponse(_body)


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
