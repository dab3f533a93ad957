"""The cache every web process shares, and the sessions read from it."""

from tests.core.test_settings import manage, print_setting


def test_the_default_cache_is_a_folder_every_process_on_the_machine_shares(monkeypatch):
    monkeypatch.delenv("CACHE_URL", raising=False)
    backend, location = print_setting(
        "s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION']"
    ).split()
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"
    assert location.endswith("/var/cache")


def test_a_cache_of_one_process_only_is_refused_with_a_message():
    result = manage("check", CACHE_URL="locmem://")
    assert result.returncode != 0
    assert "CACHE_URL must be a cache that all web processes share" in result.stderr


def test_sessions_are_read_from_the_cache_and_kept_in_the_database():
    engine = print_setting("s.SESSION_ENGINE")
    assert engine == "django.contrib.sessions.backends.cached_db"


def test_a_postgresql_connection_gives_up_within_seconds():
    timeout = print_setting(
        "s.DATABASES['default']['OPTIONS']['connect_timeout']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/asa_portal",
    )
    assert timeout == "3"
