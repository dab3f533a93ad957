"""In production the portal runs under gunicorn and whitenoise serves the static files."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production(tmp_path):
    """A gunicorn serving the portal with DEBUG off, on its own SQLite database."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        # Required with DEBUG off; nothing here sends email.
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_BROKER_DIR": str(tmp_path / "broker"),
    }
    for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
            capture_output=True, timeout=120,
        )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "asa_portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)


def test_gunicorn_serves_the_home_page_with_debug_off(production):
    with urllib.request.urlopen(production + "/", timeout=5) as response:  # noqa: S310
        page = response.read().decode()
        assert response.status == 200
        policy = response.headers["Content-Security-Policy"].split("; ")
        assert {"default-src 'self'", "script-src 'self'", "style-src 'self'"} <= set(policy)
    assert "Automotive Skills Alliance" in page


def test_whitenoise_serves_hashed_static_files_for_a_year(production):
    with urllib.request.urlopen(production + "/", timeout=5) as response:  # noqa: S310
        page = response.read().decode()
    stylesheet = page.split('href="/static/css/site.', 1)[1].split('"', 1)[0]
    with urllib.request.urlopen(f"{production}/static/css/site.{stylesheet}") as response:  # noqa: S310
        assert response.status == 200
        assert "max-age=315360000" in response.headers["Cache-Control"]


def test_an_unknown_page_gets_the_friendly_404_with_debug_off(production):
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(production + "/no-such-page/", timeout=5)  # noqa: S310
    assert error.value.code == 404
    assert "Page not found" in error.value.read().decode()
