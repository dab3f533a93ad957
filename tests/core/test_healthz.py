"""/healthz tells a load balancer whether the database and the broker answer."""

import pytest
from django.db.utils import OperationalError

from asa_portal import health
from tests.services import require_redis

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
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


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
