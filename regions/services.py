from django.db import transaction

from accounts.models import User
from regions.models import Region, RegionMembership


@transaction.atomic
def membership_set(*, region: Region, user: User, role: str) -> RegionMembership:
    """Gives a person a role in a region, replacing the role they had there."""
    membership, _ = RegionMembership.objects.update_or_create(
        region=region, user=user, defaults={"role": role}
    )
    membership.full_clean()
    return membership
