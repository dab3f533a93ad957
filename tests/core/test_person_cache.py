"""The signed-in person is read once with their roles and kept in the shared cache
(accounts.backends): whatever changes them reaches their next request."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import tokens
from accounts.backends import _key
from accounts.models import SECRETARIAT_GROUP
from tests.factories.regions import MembershipFactory

pytestmark = pytest.mark.django_db


def user_queries(client, path: str = "/") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured if 'FROM "accounts_user"' in q["sql"]]


def reminders_box(client):
    page = BeautifulSoup(client.get("/accounts/profile/").text, "html.parser")
    return page.find("input", attrs={"name": "meeting_reminders"})


def test_a_signed_in_person_is_read_once_with_their_roles(client_for, member):
    signed_in = client_for(member)
    assert len(user_queries(signed_in)) == 1
    assert user_queries(signed_in) == []


def test_a_member_made_inactive_is_signed_out_on_their_next_request(client_for, member):
    signed_in = client_for(member)
    signed_in.get("/")
    member.is_active = False
    member.save()
    assert "Sign out" not in signed_in.get("/").text


def test_a_member_added_to_the_secretariat_gets_the_admin_link_on_their_next_request(
    client_for, member
):
    member.is_staff = True
    member.save()
    signed_in = client_for(member)
    assert 'href="/admin/"' not in signed_in.get("/").text
    member.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    assert 'href="/admin/"' in signed_in.get("/").text


def test_the_secretariat_loses_the_admin_link_when_its_group_is_deleted(client_for, secretariat):
    signed_in = client_for(secretariat)
    assert 'href="/admin/"' in signed_in.get("/").text
    Group.objects.filter(name=SECRETARIAT_GROUP).delete()
    assert 'href="/admin/"' not in signed_in.get("/").text


def test_a_member_made_representative_may_write_practices_on_their_next_request(
    client_for, member, region
):
    signed_in = client_for(member)
    assert "Write a practice" not in signed_in.get("/").text
    MembershipFactory(region=region, user=member, role="representative")
    assert "Write a practice" in signed_in.get("/").text


def test_a_representative_no_longer_may_write_practices_once_their_role_is_removed(
    client_for, representative
):
    signed_in = client_for(representative)
    assert "Write a practice" in signed_in.get("/").text
    representative.region_memberships.all().delete()
    assert "Write a practice" not in signed_in.get("/").text


def test_a_language_saved_alone_is_the_language_of_the_next_page(client_for, member):
    signed_in = client_for(member)
    assert '<html lang="en">' in signed_in.get("/").text
    member.language = "de"
    member.save(update_fields=["language"])
    assert '<html lang="de">' in signed_in.get("/").text


def test_reminders_turned_off_by_the_emails_link_show_as_off_on_the_profile(client_for, member):
    signed_in = client_for(member)
    assert reminders_box(signed_in).has_attr("checked")
    link = reverse("reminders_off", args=[tokens.reminders_off(member)])
    signed_in.post(link)
    assert not reminders_box(signed_in).has_attr("checked")


def test_a_person_read_before_a_change_was_committed_is_forgotten_at_the_commit(
    client_for, member, django_capture_on_commit_callbacks
):
    signed_in = client_for(member)
    signed_in.get("/")
    kept = member.__class__.objects.get(pk=member.pk)
    with django_capture_on_commit_callbacks(execute=True):
        member.is_active = False
        member.save()
        # Another process reads the row before the commit and keeps the old person.
        cache.set(_key(member.pk), kept)
    assert "Sign out" not in signed_in.get("/").text
