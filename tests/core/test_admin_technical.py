"""Issue 21, point 7: the technical apps' admin lists (django-axes' sign-in records,
django-celery-beat's periodic tasks, both untranslated) are the superusers'. The
secretariat sees them neither on the admin's home page nor at their addresses, and lifts
a member's sign-in pause from the people's list, in its own language."""

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import SECRETARIAT_GROUP
from accounts.services import secretariat_group_sync
from tests.adminpages import changelist_action
from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TECHNICAL_LISTS = [
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
    "django_celery_beat_periodictask",
    "django_celery_beat_intervalschedule",
    "django_celery_beat_crontabschedule",
    "django_celery_beat_solarschedule",
    "django_celery_beat_clockedschedule",
]


def home_apps(client) -> list[str]:
    page = BeautifulSoup(client.get("/admin/").content, "html.parser")
    return [caption.get_text(strip=True) for caption in page.select("#content-main caption")]


def test_the_secretariats_home_page_lists_no_technical_app(client_for, secretariat):
    apps = home_apps(client_for(secretariat))
    assert apps == [
        "Meetings and working groups",
        "Best practices",
        "People and roles",
        "Regions and partners",
        "Email (delivery log)",
        "Email received (answers, bounces)",
    ]


def test_a_superusers_home_page_lists_the_technical_apps_last(client_for, superuser):
    apps = home_apps(client_for(superuser))
    assert apps[:6] == [
        "Meetings and working groups",
        "Best practices",
        "People and roles",
        "Regions and partners",
        "Email (delivery log)",
        "Email received (answers, bounces)",
    ]
    assert set(apps[6:]) == {"Authentication and Authorization", "Axes", "Periodic Tasks"}


@pytest.mark.parametrize("name", TECHNICAL_LISTS)
def test_the_secretariat_is_refused_each_technical_list_and_its_add_form(
    client_for, secretariat, name
):
    client = client_for(secretariat)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:{name}_add")).status_code == 403


def test_the_secretariat_is_refused_the_technical_lists_even_holding_their_permissions(
    client_for, secretariat
):
    # As a group made before the technical apps were the superusers' held them.
    secretariat.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["axes", "django_celery_beat"])
    )
    client = client_for(secretariat)
    assert "Axes" not in home_apps(client)
    for name in TECHNICAL_LISTS:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name


@pytest.mark.parametrize("app", ["axes", "django_celery_beat"])
def test_the_secretariat_gets_no_page_for_a_technical_app(client_for, secretariat, app):
    assert client_for(secretariat).get(f"/admin/{app}/").status_code == 404


@pytest.mark.parametrize("name", TECHNICAL_LISTS)
def test_a_superuser_opens_each_technical_list(client_for, superuser, name):
    assert client_for(superuser).get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_the_secretariat_group_holds_no_permission_of_the_technical_apps():
    group = secretariat_group_sync()
    # A group made before: it held them all.
    group.permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    group = secretariat_group_sync()
    apps = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert group.name == SECRETARIAT_GROUP
    assert apps == {"accounts", "regions", "meetings", "practices", "notifications", "inbound"}


# -- lifting a sign-in pause from the people's list ---------------------------------------

LIMIT = 5


def sign_in(client, email, password, *, address):
    # A new client each time: one signed in already would be sent on to /me/.
    client = Client()
    return client.post(
        "/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )


def lift(django_app, secretariat, *people):
    return changelist_action(
        django_app,
        reverse("admin:accounts_user_changelist"),
        "lift_signin_pause",
        people,
        secretariat,
    ).follow()


def test_the_secretariat_lets_a_paused_member_sign_in_again(
    client, django_app, secretariat, member
):
    other = UserFactory(email="other@example.org")
    for _ in range(LIMIT):
        sign_in(client, member.email, "wrong password", address="10.0.0.1")
        sign_in(client, other.email, "wrong password", address="10.0.0.2")
    assert sign_in(client, member.email, PASSWORD, address="10.0.0.1").status_code == 429
    page = lift(django_app, secretariat, member)
    assert "1 person can sign in again now." in page.text
    assert sign_in(client, member.email, PASSWORD, address="10.0.0.1").status_code == 302
    # Another person's pause stays.
    assert sign_in(client, other.email, PASSWORD, address="10.0.0.2").status_code == 429


def test_lifting_opens_a_connection_paused_by_others_failures(
    client, django_app, secretariat, member
):
    # A venue's connection: five guests mistype their passwords.
    for number in range(LIMIT):
        sign_in(client, f"guest{number}@example.org", "wrong password", address="10.0.0.9")
    assert sign_in(client, member.email, PASSWORD, address="10.0.0.9").status_code == 429
    lift(django_app, secretariat, member)
    assert sign_in(client, member.email, PASSWORD, address="10.0.0.9").status_code == 302


def test_lifting_for_people_without_failures_says_there_was_nothing_to_lift(
    client, django_app, secretariat, member
):
    sign_in(client, "someone@example.org", "wrong password", address="10.0.0.3")
    page = lift(django_app, secretariat, member)
    assert "None of them had failed sign-ins: there was no pause to lift." in page.text
    assert AccessAttempt.objects.count() == 1


def test_the_action_and_its_message_are_in_the_secretariats_language(
    client, django_app, secretariat, member
):
    secretariat.language = "de"
    secretariat.save()
    for _ in range(LIMIT):
        sign_in(client, member.email, "wrong password", address="10.0.0.1")
    people = django_app.get(reverse("admin:accounts_user_changelist"), user=secretariat)
    choices = [text for _, _, text in people.forms["changelist-form"]["action"].options]
    assert "Anmeldepause aufheben (nach falschen Passwörtern)" in choices
    page = lift(django_app, secretariat, member)
    assert "1 Person kann sich jetzt wieder anmelden." in page.text


def test_the_pause_page_says_the_secretariat_can_let_the_person_in_at_once(member):
    for _ in range(LIMIT):
        sign_in(None, member.email, "wrong password", address="10.0.0.1")
    page = sign_in(None, member.email, PASSWORD, address="10.0.0.1")
    assert page.status_code == 429
    assert (
        "If you cannot wait (a meeting is starting), the secretariat can let you sign in "
        "again at once." in page.text
    )
