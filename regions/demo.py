"""Partners and member regions of the demo world."""

from accounts.models import User
from regions.models import Partner, Region, RegionMembership
from regions.services import membership_set

PARTNERS = [
    ("ASA", "Automotive Skills Alliance", "https://automotive-skills-alliance.eu/"),
    ("ARA", "Automotive Regions Alliance", ""),
    ("CORAI", "Committee of the Regions' Automotive Intergroup", ""),
]

REGIONS = [
    (
        "Göteborg",
        "goteborg",
        "SE",
        Region.Kind.CITY,
        "The Gothenburg area in West Sweden, home of a large automotive cluster.",
    ),
    (
        "Košice",
        "kosice",
        "SK",
        Region.Kind.REGION,
        "The Košice Self-Governing Region in eastern Slovakia.",
    ),
    (
        "Stuttgart",
        "stuttgart",
        "DE",
        Region.Kind.REGION,
        "The Stuttgart Region in Baden-Württemberg, Germany's automotive heartland.",
    ),
    (
        "EDUCAM",
        "educam",
        "BE",
        Region.Kind.PROJECT,
        "EDUCAM, the Belgian training centre for the automotive and related sectors.",
    ),
    (
        "Piemonte",
        "piemonte",
        "IT",
        Region.Kind.REGION,
        "Piedmont, around Turin, in north-west Italy.",
    ),
    (
        "Moravian-Silesian Region",
        "moravian-silesian",
        "CZ",
        Region.Kind.REGION,
        "The Moravian-Silesian Region in the north-east of the Czech Republic.",
    ),
    (
        "Castilla y León",
        "castilla-y-leon",
        "ES",
        Region.Kind.REGION,
        "Castilla y León in north-west Spain.",
    ),
    (
        "Hauts-de-France",
        "hauts-de-france",
        "FR",
        Region.Kind.REGION,
        "Hauts-de-France in northern France.",
    ),
]

REPRESENTATIVES = [("stuttgart@example.org", "stuttgart"), ("kosice@example.org", "kosice")]


def seed(log) -> None:
    for acronym, name, website in PARTNERS:
        _, created = Partner.objects.get_or_create(
            acronym=acronym, defaults={"name": name, "slug": acronym.lower(), "website": website}
        )
        if created:
            log(f"Created partner {acronym}")
    for name, slug, country, kind, description in REGIONS:
        _, created = Region.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "country": country, "kind": kind, "description": description},
        )
        if created:
            log(f"Created region {name}")
    for email, slug in REPRESENTATIVES:
        membership_set(
            region=Region.objects.get(slug=slug),
            user=User.objects.get(email=email),
            role=RegionMembership.Role.REPRESENTATIVE,
        )
