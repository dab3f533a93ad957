"""The secretariat closes accounts in the admin: an action on the people's list that asks
first, on a page naming the people and the regions left without a representative."""

import pytest
from django.contrib.auth import get_user

from accounts.models import User
from notifications.models import Notification
from regions.models import RegionMembership
from tests.adminpages import changelist_action
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.regions import MembershipFactory, RegionFactory

LIST = "/admin/accounts/user/"

pytestmark = pytest.mark.django_db(transaction=True)  # each request outside a test transaction


@pytest.fixture
def anna(db):
    return UserFactory(email="anna@example.org", first_name="Anna", last_name="Berg")


@pytest.fixture
def bert(db):
    return UserFactory(email="bert@example.org", first_name="Bert", last_name="Kovac")


def test_the_action_asks_first_naming_the_people_and_closes_nothing(
    django_app, secretariat, anna, bert
):
    stuttgart = RegionFactory(name="Stuttgart", slug="stuttgart")
    MembershipFactory(user=anna, region=stuttgart, role=RegionMembership.Role.REPRESENTATIVE)
    asked = changelist_action(django_app, LIST, "close_accounts", [anna], secretariat)
    assert asked.status_code == 200
    text = asked.html.get_text(" ", strip=True)
    assert "Anna Berg <anna@example.org>" in text
    assert "the only representative of Stuttgart, which will have none." in text
    assert "Bert" not in text
    assert User.objects.filter(closed_at__isnull=False).count() == 0


def test_confirming_closes_the_ticked_accounts_and_not_another(
    django_app, client, secretariat, anna, bert
):
    meeting = MeetingFactory()
    for person in (anna, bert):
        Notification.objects.create(meeting=meeting, person=person, kind="invitation")
    asked = changelist_action(django_app, LIST, "close_accounts", [anna], secretariat)
    done = asked.forms[1].submit().follow()
    assert "1 account closed." in done.text
    anna.refresh_from_db()
    assert (anna.is_active, anna.first_name, anna.is_closed) == (False, "", True)
    assert User.objects.get(pk=bert.pk).is_active
    assert dict(Notification.objects.values_list("person_id", "status")) == {
        anna.pk: "skipped",
        bert.pk: "queued",
    }
    client.post("/accounts/login/", {"username": "anna@example.org", "password": PASSWORD})
    assert not get_user(client).is_authenticated


def test_the_secretariat_does_not_close_its_own_account_in_the_admin(django_app, secretariat):
    asked = changelist_action(django_app, LIST, "close_accounts", [secretariat], secretariat)
    assert "it is closed already or it is your own" in asked.text
    assert "Close these accounts" not in asked.text
    assert User.objects.get(pk=secretariat.pk).closed_at is None
