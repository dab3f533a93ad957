"""An edit reaches every web process at once: the generation lives in a store that all
processes share (a folder by default, Redis in production). Each test uses a folder or a
Redis key prefix of its own, and removes only its own keys."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import django_cache_url
import pytest
from redis import Redis

from meetings.models import Meeting
from tests.factories.meetings import MeetingFactory
from tests.services import require_redis

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["file", "redis"])
def shared_store(request, tmp_path, settings):
    """The cache URL this test process and the other process both use."""
    if request.param == "file":
        url = f"file://{tmp_path / 'cache'}"
    else:
        prefix = f"asa-test-{uuid.uuid4().hex}"
        url = f"{require_redis()}?key_prefix={prefix}"
    settings.CACHES = {"default": django_cache_url.parse(url)}
    yield url
    if request.param == "redis":
        redis = Redis.from_url(require_redis())
        for key in redis.scan_iter(match=f"*{prefix}*"):
            redis.delete(key)


def in_another_process(cache_url: str, code: str) -> str:
    """Runs `code` in a fresh Python with the portal's settings and this cache."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "asa_portal.settings",
            "CACHE_URL": cache_url,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_an_edit_made_in_another_process_reaches_this_one_at_once(client, shared_store):
    meeting = MeetingFactory(title="Before")
    assert "Before" in client.get(meeting.get_absolute_url()).text
    # The row changes without a signal here; the other process's save moved the generation.
    Meeting.objects.filter(pk=meeting.pk).update(title="After", visibility="members")
    in_another_process(
        shared_store, "from asa_portal.cache import invalidate_public_pages as i; i()"
    )
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 302  # members only now: sent to sign in


def test_an_edit_made_here_is_seen_by_another_process_at_once(client, shared_store):
    read = "from asa_portal.cache import generation; print(generation())"
    meeting = MeetingFactory()
    client.get(meeting.get_absolute_url())
    before = in_another_process(shared_store, read)
    meeting.delete()
    assert in_another_process(shared_store, read) != before
