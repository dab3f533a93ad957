from django.db import transaction

from accounts.models import User
from regions.models import Region, RegionMembership


@transaction.atomic
def membership_set(*, region: Region, user: User, role: str) -> RegionMembership:
    """Gives a person a role in a region, replacing the role they had there.

    Saves only what changes, so that setting the same role twice leaves no history entry.
    """
    membership = RegionMembership.objects.filter(region=region, user=user).first()
    if membership is None:
        membership = RegionMembership(region=region, user=user, role=role)
    elif membership.role == role:
        return membership
    membership.role = role
    membership.full_clean()
    membership.save()
    return membership
