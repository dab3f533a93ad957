"""The people every test can ask for, as DESIGN.md names them."""

import os

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from tests.factories.accounts import (
    AppDeviceFactory,
    SecretariatFactory,
    UserFactory,
    pass_second_step,
)
from tests.factories.regions import RegionFactory, representative_of
from tests.smtp_sink import smtp  # noqa: F401 (a fixture: a real SMTP server, for any test)


@pytest.fixture(autouse=True, scope="session")
def _celery_runs_tasks_in_the_test():
    """Tasks run at once in the test process; tests/core/test_celery_worker.py proves
    tasks through a real worker and broker."""
    from asa_portal.celery import app

    app.conf.task_always_eager = True
    # An exception in a task fails the test that queued it instead of vanishing.
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False


@pytest.fixture(autouse=True, scope="session")
def _cache_of_this_run(tmp_path_factory):
    """The settings' default cache is a folder that a running portal on this checkout
    shares: the test run gets a folder of its own from the start (the test database's
    migrations already write to the cache), and each test a fresh in-memory one below."""
    from django.test import override_settings

    location = tmp_path_factory.mktemp("cache")
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": location}}):
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each run gets a PostgreSQL test database of its own, so two runs on one machine
    (two checkouts, CI beside a developer) never drop each other's database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        test = database.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{os.getpid()}"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The local-memory cache outlives each test's database: start every test empty.
    cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A request through LocaleMiddleware leaves its language active in the thread: every
    # test starts in the site's own language, whatever ran before it.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def region(db):
    return RegionFactory(name="Stuttgart", slug="stuttgart", country="DE")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Košice", slug="kosice", country="SK")


@pytest.fixture
def member(db):
    return UserFactory(email="member@example.org")


@pytest.fixture
def representative(region):
    return representative_of(region, email="rep@example.org")


@pytest.fixture
def other_representative(other_region):
    return representative_of(other_region, email="other-rep@example.org")


@pytest.fixture
def secretariat(db):
    return SecretariatFactory(email="secretariat@example.org")


@pytest.fixture
def superuser(db):
    """Whoever runs the servers: the only one who sees the technical apps' admin lists
    (accounts.permissions.TECHNICAL_ADMIN_APPS)."""
    return UserFactory(email="ops@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_2fa_required(settings):
    """The admin asks the secretariat for a second factor, as in production."""
    settings.STAFF_2FA = "required"


@pytest.fixture
def verified_client_for():
    """A test client signed in as the given staff member, with an authenticator app of
    theirs set up and the second step passed with it (for STAFF_2FA=required)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        pass_second_step(client, AppDeviceFactory(user=user))
        return client

    return make


@pytest.fixture
def client_for():
    """A test client signed in as the given person (or anonymous for None)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
