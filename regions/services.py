from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import User
from regions.models import Indicator, Region, RegionMembership


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


def _require_region_editor(user: User | None, region: Region) -> None:
    # None: the system itself (demo seed); people need the right.
    if user is not None and not permissions.can_edit_region(user, region):
        raise PermissionDenied(_("Only the region's representatives and the secretariat."))


@transaction.atomic
def region_update(*, region: Region, by: User | None, description: str, website: str) -> Region:
    """Saves the public profile a region keeps itself. Side effect: a history record."""
    _require_region_editor(by, region)
    region.description = description
    region.website = website
    region.full_clean()
    region._history_user = by
    region.save()
    return region


@transaction.atomic
def indicator_save(*, indicator: Indicator, by: User | None) -> Indicator:
    """Creates or changes one figure of a region (unique per region, kind and year).
    Side effect: a history record."""
    _require_region_editor(by, indicator.region)
    indicator.full_clean()
    indicator._history_user = by
    indicator.save()
    return indicator


@transaction.atomic
def indicator_set(
    *,
    region: Region,
    by: User | None,
    kind: str,
    year: int,
    value: Decimal | int,
    unit: str = "",
    source: str,
) -> Indicator:
    """The figure of `kind` for `year`, created or replaced (running twice changes nothing)."""
    indicator = Indicator.objects.filter(region=region, kind=kind, year=year).first()
    indicator = indicator or Indicator(region=region, kind=kind, year=year)
    new = {"value": Decimal(value), "unit": unit, "source": source}
    if indicator.pk and all(getattr(indicator, k) == v for k, v in new.items()):
        return indicator
    for name, value_ in new.items():
        setattr(indicator, name, value_)
    return indicator_save(indicator=indicator, by=by)


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: User | None) -> None:
    """Removes a figure. Side effect: a history record of the deletion."""
    _require_region_editor(by, indicator.region)
    indicator._history_user = by
    indicator.delete()
