from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from asa_portal.validators import validate_single_line


class RegionQuerySet(models.QuerySet):
    def by_country(self):
        return self.order_by("country", "name")


class Region(models.Model):
    """A member region, city or project of the ASA (Göteborg, Košice, EDUCAM ...)."""

    class Kind(models.TextChoices):
        REGION = "region", "Region"
        CITY = "city", "City"
        PROJECT = "project", "Project"

    name = models.CharField(
        max_length=120,
        unique=True,
        validators=[validate_single_line],
        help_text="With its proper spelling.",
    )
    slug = models.SlugField(max_length=120, unique=True)
    country = CountryField(help_text="ISO 3166 country.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REGION)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="RegionMembership", related_name="regions", blank=True
    )

    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["region", "city", "project"]),
                name="region_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", args=[self.slug])


class RegionMembership(models.Model):
    """A person's place in a region: its representative(s) or a member."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", "Representative"
        MEMBER = "member", "Member"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["region", "user"], name="region_membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["representative", "member"]),
                name="region_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.region})"


class Partner(models.Model):
    """An alliance or body that co-organises events: ASA, ARA, CORAI."""

    acronym = models.CharField(max_length=20, unique=True, validators=[validate_single_line])
    name = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=40, unique=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["acronym"]

    def __str__(self) -> str:
        return f"{self.acronym} ({self.name})"


class Indicator(models.Model):
    """One figure of a region for one year, for benchmarking (e.g. people reskilled)."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", "Automotive employment"
        UPSKILLED = "upskilled", "People up- or reskilled"
        PROGRAMMES = "programmes", "Training programmes"
        GRADUATES = "graduates", "Automotive VET graduates"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="indicators")
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    value = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(
        max_length=40,
        blank=True,
        validators=[validate_single_line],
        help_text="For example: people.",
    )
    source = models.CharField(
        max_length=300,
        validators=[validate_single_line],
        help_text="Where the figure comes from.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__name", "kind", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year"], name="indicator_unique_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["employment", "upskilled", "programmes", "graduates"]
                ),
                name="indicator_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.get_kind_display()} {self.year}"
