import factory

from regions.models import Indicator, Partner, Region, RegionMembership
from tests.factories.accounts import UserFactory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    country = "DE"
    kind = Region.Kind.REGION
    description = "A member region."


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["acronym"]

    acronym = factory.Sequence(lambda n: f"P{n}")
    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.LazyAttribute(lambda partner: partner.acronym.lower())


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionMembership

    region = factory.SubFactory(RegionFactory)
    user = factory.SubFactory(UserFactory)
    role = RegionMembership.Role.MEMBER


def representative_of(region: Region, **user_fields):
    """A person who represents `region`."""
    return MembershipFactory(
        region=region, user=UserFactory(**user_fields), role=RegionMembership.Role.REPRESENTATIVE
    ).user


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    region = factory.SubFactory(RegionFactory)
    year = 2023
    kind = Indicator.Kind.EMPLOYMENT
    value = 10000
    unit = "people"
    source = "Regional statistics office"
