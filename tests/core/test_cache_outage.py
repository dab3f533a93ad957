"""The portal while its cache, Redis, is away: pages are built from the database, people
stay signed in, /healthz says 503 and names the cache, one warning is logged (not one
traceback per request), and pages are cached again once Redis is back.

Each test runs a redis-server of its own on a free port and stops it; the cache is
configured as settings.py configures it for CACHE_URL=redis://.
"""

from __future__ import annotations

import ast
import logging
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from redis import Redis

from asa_portal import redis_cache
from meetings.models import Meeting
from tests.core.test_settings import print_setting
from tests.factories.accounts import PASSWORD
from tests.factories.meetings import MeetingFactory
from tests.services import missing

pytestmark = pytest.mark.django_db
LOGGER = "asa_portal.redis_cache"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def configured():
    """What settings.py makes of CACHE_URL=redis://…, read in a process of its own (the
    test settings replace the cache with a local one)."""
    return ast.literal_eval(
        print_setting("repr(s.CACHES['default'])", CACHE_URL="redis://127.0.0.1:6379/0")
    )


class RedisServer:
    def __init__(self, folder: Path) -> None:
        self.folder, self.port, self.process = folder, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while True:
            try:
                if Redis.from_url(self.url, socket_timeout=1).ping():
                    return
            except Exception:  # refused until it listens
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def keys(self, pattern: str) -> list[bytes]:
        return list(Redis.from_url(self.url).scan_iter(match=pattern))


def use_cache_at(settings, configured, location: str) -> None:
    settings.CACHES = {"default": {**configured, "LOCATION": location}}


@pytest.fixture
def redis_server(tmp_path, settings, configured):
    if not shutil.which("redis-server"):
        missing("redis-server")
    server = RedisServer(tmp_path)
    server.start()
    use_cache_at(settings, configured, server.url)
    yield server
    server.stop()
    redis_cache._outages.pop(server.url, None)


@pytest.fixture
def retry_at_once(monkeypatch):
    """Every cache call tries Redis again, so that nothing is spared by the pause."""
    monkeypatch.setattr(redis_cache, "RETRY_AFTER", 0)


def test_settings_select_the_cache_that_degrades_with_short_timeouts(configured):
    assert configured["BACKEND"] == "asa_portal.redis_cache.DegradingRedisCache"
    assert configured["OPTIONS"] == {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}


def test_every_cache_call_answers_as_an_empty_cache_while_redis_is_down(redis_server):
    from django.core.cache import cache

    cache.set("kept", 1)
    redis_server.stop()
    assert cache.get("kept", "default") == "default"
    assert cache.get_many(["kept", "other"]) == {}
    assert cache.has_key("kept") is False
    assert cache.add("new", 1) is False
    assert cache.set("new", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.touch("kept") is False
    assert cache.delete("kept") is False
    assert cache.delete_many(["kept"]) is None
    assert cache.clear() is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("kept")


def test_pages_are_built_from_the_database_while_the_cache_is_down(
    redis_server, client_for, member
):
    public = MeetingFactory(title="Open forum")
    members_only = MeetingFactory(title="Closed session", visibility=Meeting.Visibility.MEMBERS)
    visitor, signed_in = client_for(None), client_for(member)  # signed in while it was up
    assert visitor.get(public.get_absolute_url()).status_code == 200
    redis_server.stop()

    assert "Open forum" in visitor.get(public.get_absolute_url()).text
    assert "Open forum" in visitor.get("/api/v1/meetings/").text
    # Only someone still signed in (session and person read from the database) sees it.
    response = signed_in.get(members_only.get_absolute_url())
    assert response.status_code == 200
    assert "Closed session" in response.text
    assert signed_in.get("/me/").status_code == 200


def test_someone_signs_in_while_the_cache_is_down_and_stays_signed_in(
    redis_server, client, member
):
    members_only = MeetingFactory(title="Closed session", visibility=Meeting.Visibility.MEMBERS)
    redis_server.stop()
    response = client.post("/accounts/login/", {"username": member.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(members_only.get_absolute_url())
    assert response.status_code == 200
    assert "Closed session" in response.text


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_healthz_says_503_and_names_the_cache_while_it_is_down(
    redis_server, client_for, member, signed_in
):
    client = client_for(member if signed_in else None)
    assert client.get("/healthz").json()["cache"] == "ok"
    redis_server.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["cache"] == "error: unavailable"
    assert body["database"] == "ok"


def test_the_outage_is_logged_once_without_tracebacks(
    redis_server, retry_at_once, client_for, member, caplog
):
    meeting = MeetingFactory()
    visitor, signed_in = client_for(None), client_for(member)
    redis_server.stop()
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            assert visitor.get(meeting.get_absolute_url()).status_code == 200
            assert signed_in.get(meeting.get_absolute_url()).status_code == 200
    warnings = [r for r in caplog.records if r.name == LOGGER]
    assert len(warnings) == 1
    assert warnings[0].levelname == "WARNING"
    assert warnings[0].getMessage().startswith("Cache unavailable (ConnectionError: ")
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


def test_pages_are_cached_again_once_the_cache_is_back(
    redis_server, retry_at_once, client, caplog
):
    meeting = MeetingFactory()
    redis_server.stop()
    assert client.get(meeting.get_absolute_url()).status_code == 200
    redis_server.start()  # empty: nothing was kept while it was away
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    assert len(redis_server.keys("*public-pages:*:*:*")) == 1
    assert [r.getMessage()[:27] for r in caplog.records if r.name == LOGGER] == [
        "Cache available again after"
    ]


def test_an_edit_made_while_the_cache_did_not_answer_shows_once_it_answers_again(
    redis_server, retry_at_once, client
):
    meeting = MeetingFactory(title="Before")
    assert "Before" in client.get(meeting.get_absolute_url()).text
    # Redis keeps its data but answers nobody for 1.5 s: the edit cannot move the
    # generation on, and the page from before the edit is still there afterwards.
    Redis.from_url(redis_server.url).execute_command("CLIENT", "PAUSE", "1500", "ALL")
    paused_until = time.monotonic() + 1.5
    meeting.title = "After"
    meeting.save()
    time.sleep(max(paused_until - time.monotonic(), 0) + 0.2)
    assert "After" in client.get(meeting.get_absolute_url()).text


def test_a_password_reset_asked_for_while_the_cache_is_down_is_answered(
    redis_server, client, member, mailoutbox, django_capture_on_commit_callbacks
):
    redis_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "member@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mailoutbox) == 1


class SilentServer:
    """Accepts connections and never answers: a Redis that hangs."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.held.append(self.listener.accept()[0])
            except OSError:  # closed
                return

    def close(self) -> None:
        self.listener.close()
        for connection in self.held:
            connection.close()


@pytest.fixture
def silent_redis():
    """The address of a Redis that accepts and never answers."""
    server = SilentServer()
    url = f"redis://127.0.0.1:{server.port}/0"
    yield url
    server.close()
    redis_cache._outages.pop(url, None)


def test_a_cache_call_to_a_redis_that_never_answers_gives_up_within_a_second(
    silent_redis, retry_at_once, settings, configured
):
    from django.core.cache import cache

    use_cache_at(settings, configured, silent_redis)
    started = time.monotonic()
    assert cache.get("any-key") is None
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_a_page_with_a_redis_that_never_answers_waits_for_one_timeout_only(
    silent_redis, settings, configured, client_for, member, signed_in
):
    meeting = MeetingFactory()
    client = client_for(member if signed_in else None)
    use_cache_at(settings, configured, silent_redis)  # nothing has met it yet
    started = time.monotonic()
    assert client.get(meeting.get_absolute_url()).status_code == 200
    # One timeout of 0.5 s, then Redis is left alone: not one for each cache call.
    assert time.monotonic() - started < 2
