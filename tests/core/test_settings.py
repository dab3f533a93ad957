"""Settings come from the environment and refuse what they cannot read."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "EMAIL_URL": "smtp://mail.example.org:587",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "EMAIL_URL",
            "CELERY_BROKER_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "CONN_MAX_AGE",
            "STAFF_2FA",
        }
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def print_setting(expression: str, **environment: str) -> str:
    code = f"from django.conf import settings as s; print({expression})"
    result = manage("shell", "--no-imports", "-c", code, **environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("value", ["true", "TRUE", "True"])
def test_debug_accepts_true_in_any_case(value):
    assert print_setting("s.DEBUG", DEBUG=value) == "True"


@pytest.mark.parametrize("value", ["false", "FALSE", "False"])
def test_debug_accepts_false_in_any_case(value):
    assert print_setting("s.DEBUG", **{**PRODUCTION, "DEBUG": value}) == "False"


@pytest.mark.parametrize("value", ["treu", "yes", "1", "on", ""])
def test_debug_refuses_anything_but_true_or_false(value):
    result = manage("check", DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be 'true' or 'false'" in result.stderr


def test_debug_off_asks_the_secretariat_for_a_second_factor_by_default():
    assert print_setting("s.STAFF_2FA", **PRODUCTION) == "required"


def test_debug_on_offers_the_secretariat_a_second_factor_by_default():
    assert print_setting("s.STAFF_2FA", DEBUG="true") == "optional"


@pytest.mark.parametrize("value", ["Optional", " REQUIRED "])
def test_staff_2fa_reads_in_any_case(value):
    assert print_setting("s.STAFF_2FA", STAFF_2FA=value) == value.strip().lower()


@pytest.mark.parametrize("value", ["yes", "true", "require", ""])
def test_staff_2fa_refuses_anything_but_required_or_optional(value):
    result = manage("check", STAFF_2FA=value)
    assert result.returncode != 0
    assert f"STAFF_2FA must be 'required' or 'optional', not {value!r}." in result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_without_email_url_refuses_to_start_saying_why():
    result = manage("check", **{**PRODUCTION, "EMAIL_URL": ""})
    assert result.returncode != 0
    assert (
        "EMAIL_URL must name an SMTP server (smtp://host:port, or smtps:// for TLS) when DEBUG "
        f"is false: otherwise every email goes to files in {ROOT / 'var' / 'mail'} and is "
        "marked sent in the delivery log while reaching nobody."
    ) in result.stderr


def test_debug_off_with_emails_to_the_console_refuses_to_start():
    result = manage("check", **{**PRODUCTION, "EMAIL_URL": "console://"})
    assert result.returncode != 0
    assert "otherwise every email goes to the console and is marked sent" in result.stderr


def test_debug_on_without_email_url_writes_emails_to_files_and_starts():
    result = manage("check", EMAIL_URL="")
    assert result.returncode == 0, result.stderr


def test_an_email_url_of_an_unknown_kind_refuses_to_start():
    result = manage("check", EMAIL_URL="smtq://mail.example.org:587")
    assert result.returncode != 0
    assert "EMAIL_URL must begin with smtp:// or smtps://" in result.stderr
    assert "not 'smtq'" in result.stderr


def test_no_configuration_means_sqlite_in_the_project_folder():
    assert print_setting("s.DATABASES['default']['NAME']") == str(ROOT / "db.sqlite3")


def test_no_configuration_means_a_broker_that_needs_no_server():
    assert print_setting("s.CELERY_BROKER_URL") == "filesystem://"


def test_no_configuration_writes_emails_to_a_folder():
    backend = print_setting("s.EMAIL_BACKEND, s.EMAIL_FILE_PATH")
    assert backend == f"asa_portal.mail.FolderBackend {ROOT / 'var' / 'mail'}"


def test_database_url_selects_postgresql():
    engine = print_setting(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
    )
    assert engine == "django.db.backends.postgresql portal"


def test_conn_max_age_keeps_database_connections_for_that_long():
    kept = print_setting(
        "s.DATABASES['default']['CONN_MAX_AGE']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        CONN_MAX_AGE="60",
    )
    assert kept == "60"


def test_without_conn_max_age_each_process_keeps_its_connection_a_minute():
    # Opening a SQLite connection cost more than the rest of a member's page.
    assert print_setting("s.DATABASES['default']['CONN_MAX_AGE']") == "60"


def test_a_malformed_database_url_stops_start_up_with_a_message():
    result = manage("check", DATABASE_URL="not a url")
    assert result.returncode != 0
    assert "DATABASE_URL is not a valid URL" in result.stderr


def test_an_unknown_broker_scheme_stops_start_up_with_a_message():
    result = manage("check", CELERY_BROKER_URL="amqp//oops")
    assert result.returncode != 0
    assert "CELERY_BROKER_URL must be" in result.stderr


def test_email_url_configures_smtp_with_tls_for_smtps():
    assert print_setting(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS",
        EMAIL_URL="smtps://mailer:secret@mail.example.org:587",
    ) == ("django.core.mail.backends.smtp.EmailBackend mail.example.org 587 mailer True")


def test_cache_url_selects_redis():
    assert "Redis" in print_setting(
        "s.CACHES['default']['BACKEND']", CACHE_URL="redis://127.0.0.1:6379/3"
    )


def test_check_deploy_in_production_mode_prints_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_serves_compressed_static_files_with_whitenoise():
    storage = print_setting("s.STORAGES['staticfiles']['BACKEND']", **PRODUCTION)
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
