"""seed_demo builds the demo world once; running it again changes nothing."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import User
from accounts.permissions import is_secretariat, represented_region_ids
from regions.models import Partner, Region

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("accounts", "regions", "meetings", "practices")
        for model in apps.get_app_config(app).get_models()
    }


def test_seed_demo_twice_gives_the_same_rows(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = row_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert row_counts() == first
    # The four people of the design, and the conference's three guests (meetings.demo).
    assert first["accounts.User"] == 7
    assert User.objects.filter(is_guest=False).count() == 4


def test_seed_demo_creates_the_people_partners_and_regions_of_the_design(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(Partner.objects.values_list("acronym", flat=True)) == {"ASA", "ARA", "CORAI"}
    names = set(Region.objects.values_list("name", flat=True))
    assert {"Göteborg", "Košice", "Stuttgart", "EDUCAM"} <= names
    assert len(names) > 4
    secretariat = User.objects.get(email="secretariat@example.org")
    assert secretariat.check_password("demo")
    assert is_secretariat(secretariat)
    stuttgart = User.objects.get(email="stuttgart@example.org")
    assert represented_region_ids(stuttgart) == {Region.objects.get(slug="stuttgart").pk}


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.filter(email="member@example.org").exists()
