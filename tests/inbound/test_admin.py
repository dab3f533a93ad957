"""The secretariat sees every email received, with what was done with it, beside the
delivery log; a bouncing address shows on the person and is cleared there."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from inbound.models import InboundMessage
from notifications.models import Notification
from tests.adminpages import changelist_action, form_with
from tests.inbound.conftest import mime

pytestmark = pytest.mark.django_db

LIST = reverse("admin:inbound_inboundmessage_changelist")


def test_the_list_shows_each_message_and_its_outcome(django_app, secretariat, deliver, invitation):
    deliver("outlook_accept.eml")
    deliver("out_of_office.eml")
    page = django_app.get(LIST, user=secretariat)
    assert "Accepted: WG4 meeting" in page.text
    assert "Answer recorded" in page.text
    assert "Automatic reply" in page.text
    filtered = django_app.get(LIST + "?outcome__exact=noted", user=secretariat)
    assert "Accepted: WG4 meeting" not in filtered.text


def test_the_list_is_a_fixed_number_of_queries(
    django_app, secretariat, deliver, invitation, django_assert_max_num_queries
):
    for name in ["outlook_accept.eml", "gmail_accept.eml", "human.eml", "out_of_office.eml"]:
        deliver(name)
    django_app.get(LIST, user=secretariat)  # sessions and permissions cached
    with django_assert_max_num_queries(12):
        django_app.get(LIST, user=secretariat)


def test_a_message_shows_as_received_and_cannot_be_edited(
    django_app, secretariat, deliver, invitation
):
    row = deliver("human.eml")
    page = django_app.get(
        reverse("admin:inbound_inboundmessage_change", args=[row.pk]), user=secretariat
    )
    assert "ten minutes late" in page.text
    assert "email-source" in page.text
    assert "_save" not in page.text


def test_only_the_secretariat_opens_the_list(django_app, member):
    page = django_app.get(LIST, user=member)
    assert page.status_code == 302
    assert page["Location"].startswith("/admin/login/")


def test_a_message_that_failed_is_handled_again_from_the_list(
    django_app, secretariat, deliver, invitation, member
):
    row = InboundMessage.objects.create(
        via="pipe",
        raw=mime("outlook_accept.eml"),
        size=10,
        digest="x",
        outcome=InboundMessage.Outcome.ERROR,
    )
    done = changelist_action(django_app, LIST, "handle_again", [row], secretariat).follow()
    assert "1 message handled again" in done.text
    row.refresh_from_db()
    assert row.outcome == InboundMessage.Outcome.APPLIED


def test_a_kept_message_is_passed_on_from_the_list(django_app, secretariat, deliver, invitation):
    row = deliver("out_of_office.eml")
    changelist_action(django_app, LIST, "forward", [row], secretariat)
    (forwarded,) = mail.outbox
    assert forwarded.to == ["office@asa.example.org"]


@pytest.fixture
def bouncing(deliver, invitation):
    person = invitation.person
    person.email = "gone@example.net"
    person.save()
    deliver("postfix_bounce_5xx.eml")
    person.refresh_from_db()
    assert person.email_bouncing_since
    return person


def test_the_delivery_log_shows_the_bounce(django_app, secretariat, bouncing, invitation):
    log = django_app.get(reverse("admin:notifications_notification_changelist"), user=secretariat)
    assert "Bounced" in log.text
    page = django_app.get(
        reverse("admin:notifications_notification_change", args=[invitation.pk]), user=secretariat
    )
    assert "User unknown in virtual mailbox table" in page.text
    assert "5.1.1" in page.text


def test_the_delivery_log_says_an_email_waits_for_a_bouncing_address(
    django_app, secretariat, bouncing, invitation, meeting
):
    Notification.objects.create(meeting=meeting, person=bouncing, kind="update", revision=1)
    Notification.objects.create(meeting=meeting, person=secretariat, kind="invitation")
    log = django_app.get(reverse("admin:notifications_notification_changelist"), user=secretariat)
    states = sorted(
        (
            row.select_one(".field-recipient").text,
            row.select_one(".field-kind").text,
            row.select_one(".field-state").text,
        )
        for row in log.html.select("#result_list tbody tr")
    )
    assert states == [
        ("gone@example.net", "Invitation", "Bounced"),  # sent, then bounced: not waiting
        ("gone@example.net", "Update", "Queued held"),
        ("secretariat@example.org", "Invitation", "Queued"),
    ]
    (link,) = log.html.select(".field-state a")
    assert link["href"] == reverse("admin:accounts_user_change", args=[bouncing.pk])
    assert link["title"] == "held: the address bounces"


def test_a_held_email_says_so_on_its_page(django_app, secretariat, bouncing, meeting):
    held = Notification.objects.create(meeting=meeting, person=bouncing, kind="update", revision=1)
    page = django_app.get(
        reverse("admin:notifications_notification_change", args=[held.pk]), user=secretariat
    )
    assert "Queued <a" in page.text and "held: the address bounces</a>" in page.text


def test_a_bouncing_address_shows_on_the_person_and_in_a_filter(django_app, secretariat, bouncing):
    people = reverse("admin:accounts_user_changelist")
    listed = django_app.get(people + "?address=bouncing", user=secretariat)
    assert "gone@example.net" in listed.text
    assert "secretariat@example.org" not in listed.text
    page = django_app.get(
        reverse("admin:accounts_user_change", args=[bouncing.pk]), user=secretariat
    )
    assert "Address bouncing since" in page.text


def test_correcting_the_address_releases_the_emails_that_wait(django_app, secretariat, bouncing):
    page = django_app.get(
        reverse("admin:accounts_user_change", args=[bouncing.pk]), user=secretariat
    )
    form = form_with(page, "email")
    form["email"] = "maria@example.org"
    assert form.submit("_save").status_code == 302
    bouncing.refresh_from_db()
    assert bouncing.email_bouncing_since is None


def test_saving_the_person_unchanged_keeps_the_mark(django_app, secretariat, bouncing):
    page = django_app.get(
        reverse("admin:accounts_user_change", args=[bouncing.pk]), user=secretariat
    )
    assert form_with(page, "email").submit("_save").status_code == 302
    bouncing.refresh_from_db()
    assert bouncing.email_bouncing_since is not None


def test_the_secretariat_confirms_an_address_works_again(django_app, secretariat, bouncing):
    people = reverse("admin:accounts_user_changelist")
    changelist_action(django_app, people, "address_works_again", [bouncing], secretariat)
    assert User.objects.get(pk=bouncing.pk).email_bouncing_since is None
    assert Notification.objects.get(pk=7001).status == "bounced"  # the log keeps the bounce
