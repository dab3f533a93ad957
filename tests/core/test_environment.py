"""Every setting reads the same from the environment and from a `.env` file beside
manage.py, and none is read past that one path (asa_portal/environment.py)."""

import ast
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "asa_portal" / "settings.py"

# Each variable the settings read, a value unlike its default, the setting it makes and
# what that setting then is. Set all at once: DEBUG=false needs SECRET_KEY and an SMTP
# EMAIL_URL, and SECURE_* are read only then; DATABASE_CONNECT_TIMEOUT only on PostgreSQL.
VARIABLES = {
    "DEBUG": ("false", "s.DEBUG", False),
    "SECRET_KEY": ("k" * 50, "s.SECRET_KEY", "k" * 50),
    "ALLOWED_HOSTS": ("portal.example.org,www.example.org", "s.ALLOWED_HOSTS",
                      ["portal.example.org", "www.example.org"]),
    "SITE_URL": ("https://portal.example.org/", "s.SITE_URL", "https://portal.example.org"),
    "CSRF_TRUSTED_ORIGINS": ("https://a.example.org", "s.CSRF_TRUSTED_ORIGINS",
                             ["https://a.example.org"]),
    "DATABASE_URL": ("postgres://portal@db.example.org:5433/asa",
                     "s.DATABASES['default']['HOST']", "db.example.org"),
    "CONN_MAX_AGE": ("7", "s.DATABASES['default']['CONN_MAX_AGE']", 7),
    "DATABASE_CONNECT_TIMEOUT": ("9", "s.DATABASES['default']['OPTIONS']['connect_timeout']",
                                 9),
    "CACHE_URL": ("redis://cache.example.org:6379/4", "s.CACHES['default']['LOCATION']",
                  "redis://cache.example.org:6379/4"),
    "TRUSTED_PROXY_COUNT": ("2", "s.TRUSTED_PROXY_COUNT", 2),
    "TIME_ZONE": ("Europe/Stockholm", "s.TIME_ZONE", "Europe/Stockholm"),
    "STATIC_ROOT": ("/srv/static", "str(s.STATIC_ROOT)", "/srv/static"),
    "MEDIA_ROOT": ("/srv/media", "str(s.MEDIA_ROOT)", "/srv/media"),
    "DEFAULT_FROM_EMAIL": ("Portal <p@example.org>", "s.DEFAULT_FROM_EMAIL",
                           "Portal <p@example.org>"),
    "ADMINS": ('Ops <ops@example.org>, "Doe, Jane" <jane@example.org>', "s.ADMINS",
               [["Ops", "ops@example.org"], ["Doe, Jane", "jane@example.org"]]),
    "SERVER_EMAIL": ("Portal errors <errors@example.org>", "s.SERVER_EMAIL",
                     "Portal errors <errors@example.org>"),
    "ERROR_EMAIL_INTERVAL_MINUTES": ("30", "s.ERROR_EMAIL_INTERVAL_MINUTES", 30),
    "SENTRY_DSN": ("https://public@sentry.example.org/7", "s.SENTRY_DSN",
                   "https://public@sentry.example.org/7"),
    "SECRETARIAT_EMAIL": ("meetings@example.org", "s.SECRETARIAT_EMAIL",
                          "meetings@example.org"),
    "BOUNCE_ADDRESS": ("returns@mail.example.org", "s.BOUNCE_ADDRESS",
                       "returns@mail.example.org"),
    "INBOUND_FORWARD_TO": ("office@example.org", "s.INBOUND_FORWARD_TO", "office@example.org"),
    "INBOUND_MAX_BYTES": ("1000", "s.INBOUND_MAX_BYTES", 1000),
    "RETENTION_INBOUND_RAW_DAYS": ("14", "s.RETENTION_INBOUND_RAW_DAYS", 14),
    "RETENTION_OUTBOX_DAYS": ("365", "s.RETENTION_OUTBOX_DAYS", 365),
    "RETENTION_SIGNIN_ATTEMPTS_DAYS": ("7", "s.RETENTION_SIGNIN_ATTEMPTS_DAYS", 7),
    "RETENTION_GUEST_DAYS": ("30", "s.RETENTION_GUEST_DAYS", 30),
    "REGISTRATION_CONFIRM_HOURS": ("6", "s.REGISTRATION_CONFIRM_HOURS", 6),
    "EMAIL_URL": ("smtp://mail.example.org:2525", "[s.EMAIL_BACKEND, s.EMAIL_HOST]",
                  ["django.core.mail.backends.smtp.EmailBackend", "mail.example.org"]),
    "EMAIL_TIMEOUT": ("12", "s.EMAIL_TIMEOUT", 12),
    "CELERY_BROKER_URL": ("redis://queue.example.org:6379/0", "s.CELERY_BROKER_URL",
                          "redis://queue.example.org:6379/0"),
    "CELERY_FILESYSTEM_BROKER_DIR": ("/srv/broker", "str(s.BROKER_DIR)", "/srv/broker"),
    "CELERY_RESULT_BACKEND": ("redis://queue.example.org:6379/2", "s.CELERY_RESULT_BACKEND",
                              "redis://queue.example.org:6379/2"),
    "EMBED_ALLOWED_ORIGINS": ("https://www.example.org", "s.EMBED_ALLOWED_ORIGINS",
                              ["https://www.example.org"]),
    "SECURE_SSL_REDIRECT": ("false", "s.SECURE_SSL_REDIRECT", False),
    "SECURE_HSTS_SECONDS": ("60", "s.SECURE_HSTS_SECONDS", 60),
    "LOG_LEVEL": ("WARNING", "s.LOGGING['root']['level']", "WARNING"),
    "STAFF_2FA": ("optional", "s.STAFF_2FA", "optional"),
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def names_read(source: str) -> set[str]:
    """The variables a file reads through env (env.str("X", …), read_bool("X", …),
    read_days("X", …), read_hours("X", …), read_url(env.dj_db_url, "X", …))."""
    calls = (
        r"(?:env\.\w+|read_bool|read_days|read_hours|read_url\(\s*env\.\w+\s*,)"
        r'\(?\s*"([A-Z][A-Z0-9_]*)"'
    )
    return set(re.findall(calls, source))


def settings_in(folder: Path, variables: dict[str, str], env_file: str = "") -> dict:
    """The settings as a copy of the portal in `folder` reads them, its .env holding
    env_file and its environment `variables` (and none of the portal's own)."""
    shutil.copytree(ROOT / "asa_portal", folder / "asa_portal",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    (folder / ".env").write_text(env_file)
    expressions = {name: expression for name, (_, expression, _) in VARIABLES.items()}
    code = (
        "import json, asa_portal.settings as s\n"
        "def value(expression):\n"
        "    try:\n"
        "        return eval(expression)\n"
        "    except (AttributeError, KeyError):\n"
        "        return None  # not made from this variable in this configuration\n"
        f"values = {{name: value(e) for name, e in {expressions!r}.items()}}\n"
        "print(json.dumps({'BASE_DIR': str(s.BASE_DIR), **values}))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    environment.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, env={**environment, **variables},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    values = json.loads(done.stdout)
    assert values.pop("BASE_DIR") == str(folder)
    return values


def test_every_variable_the_settings_read_is_in_this_test_and_in_the_readme():
    read = names_read(SETTINGS.read_text())
    assert read == set(VARIABLES)
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", (ROOT / "README.md").read_text(),
                                re.MULTILINE))  # fmt: skip
    assert read - documented == set()


def test_every_setting_reads_the_same_from_the_environment_as_from_dot_env(tmp_path):
    expected = {name: value for name, (_, _, value) in VARIABLES.items()}
    given = {name: value for name, (value, _, _) in VARIABLES.items()}
    from_environment = settings_in(tmp_path / "environment", given)
    dot_env = "".join(f"{name}={value}\n" for name, value in given.items())
    from_dot_env = settings_in(tmp_path / "dot-env", {}, env_file=dot_env)
    assert from_environment == expected
    assert from_dot_env == expected


def test_the_environment_wins_over_dot_env(tmp_path):
    settings = settings_in(
        tmp_path,
        {"TIME_ZONE": "Europe/Bratislava"},
        env_file="TIME_ZONE=Europe/Stockholm\n",
    )
    assert settings["TIME_ZONE"] == "Europe/Bratislava"


def bypasses_in(path: Path) -> list[str]:
    """Reads of os.environ or os.getenv, and Env() made anew, in a Python file."""
    found, tree = [], ast.parse(path.read_text())
    # Which settings module to load is not a setting.
    choosing = {
        node.func.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and ast.unparse(node).startswith("os.environ.setdefault('DJANGO_SETTINGS_MODULE'")
    }
    for node in ast.walk(tree):
        if node in choosing or not isinstance(node, (ast.Attribute, ast.Call)):
            continue
        text = ast.unparse(node)
        if text in {"os.environ", "os.getenv"} or text.startswith("Env("):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text}")
    return found


def test_no_setting_is_read_past_the_one_path():
    """os.environ would miss what .env holds (environs keeps it to itself)."""
    files = [*ROOT.glob("asa_portal/*.py"), *ROOT.glob("scripts/*.py"), ROOT / "manage.py"]
    files.append(ROOT / "gunicorn.conf.py")
    bypasses = [found for path in sorted(files) for found in bypasses_in(path)]
    assert bypasses == ["asa_portal/environment.py:15: Env()"]


def run_address_in(folder: Path, variables: dict[str, str], env_file: str) -> list[str]:
    """What scripts/run_address.py prints (port, host, site URL) in a copy of the portal."""
    for part in ("asa_portal", "scripts"):
        shutil.copytree(ROOT / part, folder / part, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "var").mkdir()
    (folder / ".env").write_text(env_file)
    environment = {k: v for k, v in os.environ.items() if k not in {"PORT", "HOST", "SITE_URL"}}
    done = subprocess.run(
        [sys.executable, "scripts/run_address.py"], cwd=folder, env={**environment, **variables},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_run_command_reads_its_variables_through_the_one_path_and_documents_them():
    read = names_read((ROOT / "scripts" / "run_address.py").read_text())
    assert read == {"PORT", "HOST", "SITE_URL"}
    documented = (ROOT / "README.md").read_text()
    assert "| `PORT`, `HOST` |" in documented
    assert "| `SITE_URL` |" in documented


def test_the_run_command_reads_port_host_and_site_url_from_dot_env(tmp_path):
    port = free_port()
    dot_env = f"PORT={port}\nHOST=127.0.0.1\nSITE_URL=https://portal.example.org\n"
    printed = run_address_in(tmp_path, {}, dot_env)
    assert printed == [str(port), "127.0.0.1", "https://portal.example.org"]


def test_the_run_command_takes_port_from_the_environment_before_dot_env(tmp_path):
    port = free_port()
    printed = run_address_in(tmp_path, {"PORT": str(port)}, "PORT=1\n")
    assert printed == [str(port), "127.0.0.1", f"http://127.0.0.1:{port}"]


def gunicorn_settings_in(folder: Path, variables: dict[str, str], env_file: str) -> list[str]:
    """gunicorn's bind, workers and timeout as gunicorn.conf.py makes them in a copy of the
    portal with that .env."""
    shutil.copytree(ROOT / "asa_portal", folder / "asa_portal",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copy(ROOT / "gunicorn.conf.py", folder)
    (folder / ".env").write_text(env_file)
    outside = {"PORT", "HOST", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"}
    environment = {k: v for k, v in os.environ.items() if k not in outside}
    done = subprocess.run(
        [sys.executable, "-c", "import runpy; s = runpy.run_path('gunicorn.conf.py'); "
         "print(s['bind'], s['workers'], s['timeout'])"],
        cwd=folder, env={**environment, **variables}, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_gunicorn_reads_its_address_processes_and_timeout_from_dot_env(tmp_path):
    dot_env = "HOST=0.0.0.0\nPORT=8123\nWEB_CONCURRENCY=3\nGUNICORN_TIMEOUT=45\n"
    assert gunicorn_settings_in(tmp_path, {}, dot_env) == ["0.0.0.0:8123", "3", "45"]


def test_gunicorn_takes_its_port_from_the_environment_before_dot_env(tmp_path):
    printed = gunicorn_settings_in(tmp_path, {"PORT": "8124"}, "PORT=8123\n")
    assert printed[0] == "127.0.0.1:8124"


def test_every_variable_gunicorn_reads_is_in_the_readme():
    read = names_read((ROOT / "gunicorn.conf.py").read_text())
    assert read == {"HOST", "PORT", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"}
    documented = (ROOT / "README.md").read_text()
    for row in ("| `PORT`, `HOST` |", "| `WEB_CONCURRENCY` |", "| `GUNICORN_TIMEOUT` |"):
        assert row in documented
