"""A guest (registered for a public event without an account) becomes a member: the
people list's action "Make members of these guests", the add form that says so when an
address is a guest's, the guest's page that says why they cannot sign in, and signing in
once the secretariat has set a password."""

import pytest
from django.contrib.auth import get_user
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.backends import ModelBackend
from accounts.models import SECRETARIAT_GROUP, User
from accounts.services import account_close, guests_make_members
from meetings.models import Attendance
from tests.adminpages import changelist_action, errors_of, form_with
from tests.factories.accounts import UserFactory
from tests.factories.meetings import AttendanceFactory, PublicConferenceFactory, QuestionFactory

LIST = "/admin/accounts/user/"
ADD = "/admin/accounts/user/add/"
NEW_PASSWORD = "a long pass phrase 42"

pytestmark = pytest.mark.django_db(transaction=True)  # each request outside a test transaction


def a_guest(email: str, **fields) -> User:
    guest = UserFactory(email=email, first_name="Gina", last_name="Guest", is_guest=True, **fields)
    guest.set_unusable_password()
    guest.save()
    return guest


@pytest.fixture
def gina(db):
    return a_guest("gina@example.org")


@pytest.fixture
def greta(db):
    return a_guest("greta@example.org")


@pytest.fixture
def closed_guest(db):
    guest = a_guest("gone@example.org")
    account_close(user=guest)
    return User.objects.get(pk=guest.pk)


def make_members(django_app, secretariat, *people):
    return changelist_action(django_app, LIST, "make_members", people, secretariat).follow()


def messages_of(page) -> list[str]:
    return [item.get_text(" ", strip=True) for item in page.html.select("ul.messagelist li")]


def guests() -> dict[str, bool]:
    return dict(User.objects.values_list("email", "is_guest"))


def sign_in(email: str, password: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": email, "password": password})
    return client


# -- the action ---------------------------------------------------------------------------


def test_the_action_makes_members_of_the_active_guests_and_counts_those_left_alone(
    django_app, secretariat, member, gina, greta, closed_guest
):
    page = make_members(django_app, secretariat, gina, greta, member, closed_guest)
    assert messages_of(page) == [
        "2 guests are members now: set their passwords on their pages so that they can sign in.",
        "1 was a member already: left alone.",
        "1 account is closed or inactive: left alone.",
    ]
    assert guests() == {
        "secretariat@example.org": False,
        "member@example.org": False,
        "gina@example.org": False,
        "greta@example.org": False,
        closed_guest.email: True,
    }


def test_the_action_leaves_a_guest_who_was_not_ticked_a_guest(
    django_app, secretariat, gina, greta
):
    page = make_members(django_app, secretariat, gina)
    assert messages_of(page) == [
        "1 guest is a member now: set their password on their page so that they can sign in."
    ]
    assert (User.objects.get(pk=gina.pk).is_guest, User.objects.get(pk=greta.pk).is_guest) == (
        False,
        True,
    )


def test_an_inactive_guest_is_left_alone_and_counted(django_app, secretariat, gina):
    gina.is_active = False
    gina.save()
    page = make_members(django_app, secretariat, gina)
    assert messages_of(page) == [
        "None of them was a guest who can become a member: nothing changed.",
        "1 account is closed or inactive: left alone.",
    ]
    assert User.objects.get(pk=gina.pk).is_guest


def test_a_new_member_keeps_their_details_registration_and_answers(
    django_app, secretariat, gina, greta
):
    event = PublicConferenceFactory()
    diet = QuestionFactory(meeting=event, text="Dietary needs")
    AttendanceFactory(
        meeting=event, user=gina, answer="in_person", responses={str(diet.pk): "Vegan"}
    )
    AttendanceFactory(
        meeting=event, user=greta, answer="online", responses={str(diet.pk): "Halal"}
    )
    make_members(django_app, secretariat, gina)
    gina.refresh_from_db()
    assert (gina.email, gina.first_name, gina.last_name, gina.is_active) == (
        "gina@example.org",
        "Gina",
        "Guest",
        True,
    )
    assert dict(
        Attendance.objects.filter(meeting=event).values_list("user__email", "responses")
    ) == {
        "gina@example.org": {str(diet.pk): "Vegan"},
        "greta@example.org": {str(diet.pk): "Halal"},
    }


def test_the_action_is_logged_in_the_persons_history(django_app, secretariat, gina):
    from django.contrib.admin.models import LogEntry

    make_members(django_app, secretariat, gina)
    assert list(
        LogEntry.objects.filter(object_id=str(gina.pk)).values_list("change_message", flat=True)
    ) == ["Made a member of a guest."]


def test_the_cached_person_is_forgotten_when_a_guest_becomes_a_member(gina, greta):
    backend = ModelBackend()
    # Read (and kept in the shared cache) while a guest: nobody to sign in.
    assert backend.get_user(gina.pk) is None
    assert backend.get_user(greta.pk) is None
    gina.set_password(NEW_PASSWORD)
    User.objects.filter(pk=gina.pk).update(password=gina.password)
    guests_make_members(people=[gina])
    assert backend.get_user(gina.pk) == gina
    assert backend.get_user(greta.pk) is None


# -- signing in after the password is set ---------------------------------------------------


def test_a_new_member_signs_in_once_the_secretariat_sets_a_password_on_their_page(
    django_app, secretariat, gina
):
    make_members(django_app, secretariat, gina)
    assert not get_user(sign_in("gina@example.org", "")).is_authenticated
    change = django_app.get(
        reverse("admin:accounts_user_change", args=[gina.pk]), user=secretariat
    )
    setting = change.click(href="../password/", description="Set password")
    form = form_with(setting, "password1")
    form["password1"] = NEW_PASSWORD
    form["password2"] = NEW_PASSWORD
    saved = form.submit()
    assert saved.status_code == 302, errors_of(saved)
    assert get_user(sign_in("gina@example.org", NEW_PASSWORD)) == gina


def test_a_guest_with_a_password_set_still_cannot_sign_in_until_made_a_member(
    django_app, secretariat, gina
):
    gina.set_password(NEW_PASSWORD)
    gina.save()
    assert not get_user(sign_in("gina@example.org", NEW_PASSWORD)).is_authenticated
    make_members(django_app, secretariat, gina)
    assert get_user(sign_in("gina@example.org", NEW_PASSWORD)) == gina


# -- the add form --------------------------------------------------------------------------


def add_person(django_app, secretariat, email: str):
    form = form_with(django_app.get(ADD, user=secretariat), "_save")
    form["email"] = email
    form["password1"] = NEW_PASSWORD
    form["password2"] = NEW_PASSWORD
    return form.submit("_save")


def test_the_add_form_says_a_guests_address_is_a_guests_and_keeps_what_was_typed(
    django_app, secretariat, gina, member
):
    before = User.objects.count()
    page = add_person(django_app, secretariat, "Gina@Example.org")
    assert page.status_code == 200
    assert errors_of(page) == (
        "Please correct the error below. | A guest registered for an event with this "
        "address: use the action 'Make members of these guests' on them instead."
    )
    assert form_with(page, "_save")["email"].value == "Gina@Example.org"
    assert User.objects.count() == before
    assert User.objects.get(pk=gina.pk).is_guest


def test_the_add_form_refuses_a_members_address_as_taken_not_as_a_guests(
    django_app, secretariat, gina, member
):
    page = add_person(django_app, secretariat, "member@example.org")
    assert page.status_code == 200
    assert "A guest registered" not in page.text
    assert "Person with this Email address already exists." in errors_of(page)


def test_the_add_form_takes_the_address_of_a_closed_guest_as_a_new_member(
    django_app, secretariat, closed_guest
):
    page = add_person(django_app, secretariat, "gone@example.org")
    assert page.status_code == 302, errors_of(page)
    assert not User.objects.get(email="gone@example.org").is_guest


def test_the_add_form_refuses_a_closed_guests_address_as_taken_not_as_a_guests(
    django_app, secretariat, closed_guest
):
    page = add_person(django_app, secretariat, closed_guest.email)
    assert page.status_code == 200
    assert "A guest registered" not in page.text
    assert "Person with this Email address already exists." in errors_of(page)


def test_the_action_on_members_alone_says_nothing_changed(django_app, secretariat, member):
    page = make_members(django_app, secretariat, member)
    assert messages_of(page) == [
        "None of them was a guest who can become a member: nothing changed.",
        "1 was a member already: left alone.",
    ]


# -- the change page ------------------------------------------------------------------------


def guest_field(django_app, secretariat, person) -> str:
    page = django_app.get(
        reverse("admin:accounts_user_change", args=[person.pk]), user=secretariat
    )
    assert "is_guest" not in form_with(page, "_save").fields  # read only
    return page.html.select_one(".field-guest .readonly").get_text(" ", strip=True)


def test_a_guests_page_says_they_are_a_guest_and_why_they_cannot_sign_in(
    django_app, secretariat, gina
):
    assert guest_field(django_app, secretariat, gina) == (
        "Yes: registered for an event without an account, so cannot sign in. The action "
        "'Make members of these guests' on the people list makes them a member; then set "
        "their password here."
    )


def test_a_members_page_says_they_are_no_guest(django_app, secretariat, member):
    assert guest_field(django_app, secretariat, member) == "No"


# -- who may run it ------------------------------------------------------------------------


def test_the_secretariat_without_the_permission_to_change_people_is_not_offered_the_action(
    django_app, secretariat, gina
):
    change = Permission.objects.get(codename="change_user", content_type__app_label="accounts")
    secretariat.groups.get(name=SECRETARIAT_GROUP).permissions.remove(change)
    page = django_app.get(LIST, user=secretariat)
    choices = [value for value, _, _ in page.forms["changelist-form"]["action"].options]
    assert "make_members" not in choices
    assert "close_accounts" in choices
    # Sent all the same, as a page opened before the permission went would send it.
    form = page.forms["changelist-form"]
    django_app.post(
        LIST,
        {
            "csrfmiddlewaretoken": form["csrfmiddlewaretoken"].value,
            "action": "make_members",
            "_selected_action": [str(gina.pk)],
            "index": "0",
        },
        user=secretariat,
    )
    assert User.objects.get(pk=gina.pk).is_guest


def test_a_member_sending_the_action_is_sent_to_the_admins_sign_in(client_for, member, gina):
    response = client_for(member).post(
        LIST, {"action": "make_members", "_selected_action": [str(gina.pk)], "index": "0"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert User.objects.get(pk=gina.pk).is_guest


def test_the_secretariat_is_offered_the_action(django_app, secretariat):
    page = django_app.get(LIST, user=secretariat)
    choices = {value: text for value, _, text in page.forms["changelist-form"]["action"].options}
    assert choices["make_members"] == "Make members of these guests"


def test_the_people_list_offers_a_filter_of_the_guests(django_app, secretariat, member, gina):
    page = django_app.get(LIST, user=secretariat)
    headings = [h.get_text(strip=True) for h in page.html.select("#changelist-filter summary")]
    assert "Guest" in headings
    guests_only = page.click(href="is_guest__exact=1")
    listed = [
        cell.get_text(strip=True) for cell in guests_only.html.select("#result_list .field-email")
    ]
    assert listed == ["gina@example.org"]
