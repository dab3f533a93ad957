"""The one place that says who may do what."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import permissions
from tests.factories.accounts import UserFactory
from tests.factories.practices import PracticeFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_neither_members_nor_secretariat():
    anonymous = AnonymousUser()
    assert not permissions.is_member(anonymous)
    assert not permissions.is_secretariat(anonymous)
    assert not permissions.can_write_practices(anonymous)


def test_a_superuser_counts_as_secretariat():
    assert permissions.is_secretariat(UserFactory(is_superuser=True, is_staff=True))


def test_the_secretariat_group_without_staff_status_is_not_enough():
    from django.contrib.auth.models import Group

    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name="Secretariat")[0])
    assert not permissions.is_secretariat(user)


def test_a_representative_edits_only_their_own_regions_practices(
    representative, region, other_region
):
    assert permissions.can_edit_practice(representative, PracticeFactory(region=region))
    assert not permissions.can_edit_practice(representative, PracticeFactory(region=other_region))
    assert permissions.can_edit_region(representative, region)
    assert not permissions.can_edit_region(representative, other_region)


def test_a_member_writes_no_practice(member):
    assert not permissions.can_write_practices(member)


def test_the_secretariat_edits_every_region_and_publishes(secretariat, other_region):
    assert permissions.can_edit_region(secretariat, other_region)
    assert permissions.can_publish(secretariat)


def test_a_deactivated_representative_loses_their_rights(representative, region):
    representative.is_active = False
    assert not permissions.can_edit_region(representative, region)


def test_after_migrate_the_secretariat_group_may_change_every_portal_model():
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name="Secretariat")
    expected = Permission.objects.filter(
        content_type__app_label__in=["accounts", "regions", "practices", "meetings"]
    )
    assert expected.exists()
    assert set(expected) <= set(group.permissions.all())
