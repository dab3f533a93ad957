"""/healthz tells a load balancer whether the database, the cache and the broker answer.
The cache's outage is tested with a Redis of its own in test_cache_outage.py; the queue
(the beat's last sweep, the oldest email due) in tests/notifications/test_healthz_queue.py."""

import psycopg
import pytest
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.db.utils import OperationalError

from asa_portal import health
from notifications.services import notifications_sweep
from tests.services import require_postgresql, require_redis

pytestmark = pytest.mark.django_db


def filesystem_broker(settings, folder, monkeypatch) -> None:
    # /healthz reads the broker through the Celery app, whose broker_url prefers the
    # CELERY_BROKER_URL variable (set to Redis in CI's PostgreSQL run) to the settings.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
    }


def test_healthz_is_200_with_each_dependency_ok(client, settings, tmp_path, monkeypatch):
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for name in ("queue", "processed", "control"):
            (tmp_path / name).mkdir()
        filesystem_broker(settings, tmp_path, monkeypatch)
    notifications_sweep()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "beat": "ok",
        "outbox": "ok",
    }


def test_healthz_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_a_broker_that_refuses_connections_gives_503_not_an_exception(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error")


def test_a_database_that_is_down_gives_503(client, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_healthz_reports_a_running_redis_broker_as_ok(client, settings):
    settings.CELERY_BROKER_URL = require_redis()
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    assert client.get("/healthz").json()["broker"] == "ok"


def test_the_filesystem_broker_with_its_folders_in_place_is_ok(
    client, settings, tmp_path, monkeypatch
):
    for name in ("queue", "processed", "control"):
        (tmp_path / name).mkdir()
    filesystem_broker(settings, tmp_path, monkeypatch)
    # The beat's last sweep is the database's migration time until a sweep runs: late in
    # a long test run it is older than /healthz allows.
    notifications_sweep()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_the_filesystem_broker_without_its_queue_folder_gives_503(
    client, settings, tmp_path, monkeypatch
):
    (tmp_path / "processed").mkdir()
    (tmp_path / "control").mkdir()
    filesystem_broker(settings, tmp_path, monkeypatch)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error: a broker folder is missing"


def test_a_filesystem_broker_folder_that_takes_no_file_gives_503(
    client, settings, tmp_path, monkeypatch
):
    # /proc is a folder in which nobody, root included, can create a file.
    filesystem_broker(settings, tmp_path, monkeypatch)
    settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"] = "/proc"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"] = "/proc"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error: a broker folder is not writable"


def test_a_cache_that_keeps_nothing_gives_503_naming_the_cache(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error: unavailable"
    assert response.json()["database"] == "ok"


def admin_sql(sql: str, *params) -> None:
    """On a connection of its own to the server's maintenance database."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(sql, params)


def healthz(client):
    # At the start of each request Django's handler drops a kept connection that failed
    # (close_old_connections); the test client leaves that out, so it is done here.
    close_old_connections()
    return client.get("/healthz")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_a_kept_database_connection_that_breaks_gives_503_then_recovers(
    client_for, member, signed_in
):
    require_postgresql()
    client = client_for(member if signed_in else None)
    notifications_sweep()
    assert healthz(client).status_code == 200
    # The server ends this process's kept connection and takes no new one for this
    # database, as while it restarts; the shared server itself keeps running.
    name = connection.settings_dict["NAME"]
    admin_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        admin_sql("SELECT pg_terminate_backend(%s)", connection.connection.info.backend_pid)
        cache.clear()  # the session and the person too must come from the database
        response = healthz(client)
        assert response.status_code == 503
        assert response.json()["database"] == "error: OperationalError"
        assert response.json()["cache"] == "ok"
    finally:
        admin_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    response = healthz(client)
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
